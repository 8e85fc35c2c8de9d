// A machine for the engine's unit tests (no root, no kernel): one block
// device — a sparse byte map — with a small filesystem on it, and every call
// recorded in order. Its filesystem keeps the promise eofzero checks: when a
// file grows past a partial block it zeroes the rest of that block in the
// page cache, and writes that back with the data. `zero_gap_in_memory_only`
// makes it break the promise the way generic/790's xfs finding does: the gap
// is zero in memory but never written back, so a crash that drops the cache
// brings the stale bytes back.
//
// Semantics kept small on purpose: a page cache of dirty and clean blocks
// over the device; fsync, fdatasync, syncfs, sync, a writing sync_range and a
// clean unmount write back (fsync/fdatasync/syncfs/sync also make the size
// durable); a NOLOGFLUSH shutdown drops the dirty cache and the sizes go back
// to their durable values; LOGFLUSH and DEFAULT write everything back first.
// O_DIRECT reads write back the range first, as the kernel does. The calls
// the race steps' threads make may come from several threads at once. e2fsck and
// xfs_repair report clean; the ext4 offline reader reads the device.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "os/system.h"

namespace eofzero::test {

class FakeSystem final : public os::System {
 public:
  FakeSystem(std::string device, std::string mount_dir, std::uint32_t block_size,
             std::string fstype = "ext4", std::string uuid = "fake-uuid");

  // Every call, in order: "open case_x", "pwrite case_x 0+4080", "fsync case_x",
  // "fiemap case_x 0+4096", "umount", "device write 1048576+4096", "mount",
  // "shutdown nologflush", "run e2fsck -fn /dev/fake", ...
  std::vector<std::string> calls;
  // The names of the calls only ("open", "pwrite", ...), for order checks.
  std::vector<std::string> CallNames() const;
  // Break the promise as described above.
  bool zero_gap_in_memory_only = false;
  // Make the next call of this name fail with this errno (once).
  void FailNext(const std::string& call, int errnum) { failures_[call] = errnum; }

  bool mounted() const { return mounted_; }
  std::size_t open_descriptors() const { return fds_.size(); }
  std::size_t mappings() const { return maps_.size(); }
  Bytes DeviceBytes(std::uint64_t offset, std::uint64_t length) const;

  // os::System
  os::Result<int> Open(const std::string& path, int flags, unsigned mode) override;
  void Close(int fd) override;
  os::Result<os::FileStat> Stat(int fd, const std::string& what) override;
  os::Status Write(int fd, ByteView data, std::uint64_t offset, const os::WriteHow& how,
                   const std::string& what) override;
  os::Result<Bytes> Read(int fd, std::uint64_t offset, std::uint64_t length,
                         const std::string& what) override;
  os::Status Truncate(int fd, std::uint64_t size, const std::string& what) override;
  os::Status Fallocate(int fd, int mode, std::uint64_t offset, std::uint64_t length,
                       const std::string& what) override;
  os::Status Flush(int fd, os::FlushCall call, const std::string& what) override;
  void SyncAll() override;
  os::Status SyncRange(int fd, std::uint64_t offset, std::uint64_t length, bool wait_before,
                       bool write, bool wait_after, const std::string& what) override;
  os::Status CopyRange(int in_fd, std::uint64_t in_offset, int out_fd, std::uint64_t out_offset,
                       std::uint64_t length, const std::string& what) override;
  os::Status CloneRange(int src_fd, std::uint64_t src_offset, int dst_fd, std::uint64_t dst_offset,
                        std::uint64_t length, const std::string& what) override;
  os::Status DropCachedPages(int fd, const std::string& what) override;
  os::Status MakeDirectory(const std::string& path) override;
  os::Result<std::vector<os::Extent>> MapExtents(int fd, std::uint64_t start, std::uint64_t length,
                                                 os::FiemapSync sync,
                                                 const std::string& what) override;
  os::Result<bool> IsRealtimeFile(int fd, const std::string& what) override;
  os::Result<Bytes> ReadThroughMmap(int fd, std::uint64_t page_offset, std::uint64_t length,
                                    const std::string& what) override;
  os::Result<os::DirectReadResult> ReadDirect(const std::string& path, std::uint64_t offset,
                                              std::uint64_t length,
                                              std::uint32_t alignment) override;
  os::Result<int> MapShared(int fd, std::uint64_t page_offset, std::uint64_t length,
                            const std::string& what) override;
  os::Status FillMapping(int id, std::uint64_t offset, std::uint64_t length,
                         std::uint8_t byte) override;
  os::Status SyncMapping(int id, bool async, bool invalidate, bool sync) override;
  void Unmap(int id) override;
  os::Result<os::BlockGeometry> Geometry(const std::string& device) override;
  os::Result<os::FsIdentity> Probe(const std::string& device) override;
  os::Result<Bytes> ReadDevice(const std::string& device, std::uint64_t offset,
                               std::uint64_t length) override;
  os::Status WriteDevice(const std::string& device, std::uint64_t offset, ByteView data) override;
  os::Status DropDeviceCache(const std::string& device) override;
  // Not in `calls` (every mount asks); FailNext("claimed", EBUSY) refuses it once.
  os::Status CheckNotClaimed(const std::string& device) override;
  os::Status Mount(const std::string& source, const std::string& target, const std::string& fstype,
                   const std::string& options) override;
  os::Status Unmount(const std::string& target, std::uint64_t devno, bool lazy_if_busy) override;
  os::Status Shutdown(const std::string& path, std::uint64_t devno,
                      os::ShutdownFlag flag) override;
  os::Result<os::ProcessResult> Run(const std::vector<std::string>& argv) override;
  os::Result<os::OfflineFileView> ReadExt4Offline(const std::string& device,
                                                  const std::string& path_in_fs,
                                                  std::uint64_t block_index) override;

 private:
  struct File {
    std::uint64_t ino = 0;
    bool directory = false;
    std::uint64_t size = 0, durable_size = 0;
    std::map<std::uint64_t, std::uint64_t> on_disk;  // block index -> device offset
    std::set<std::uint64_t> unwritten;               // allocated, reads as zeros
    std::map<std::uint64_t, Bytes> cache;            // block index -> its bytes in memory
    std::set<std::uint64_t> dirty;                   // cached blocks to write back
  };
  struct Descriptor {
    std::string path;
    int flags = 0;
  };
  struct Mapping {
    std::string path;
    std::uint64_t offset = 0, length = 0;
  };

  os::Status Call(const std::string& name, const std::string& detail);  // record; maybe fail
  os::Result<File*> FileOf(int fd, const std::string& call);
  std::string Name(const std::string& path) const;           // "case_x" for mount_dir/case_x
  Bytes& Cached(File& f, std::uint64_t block);               // loads a block into the cache
  Bytes BlockNow(const File& f, std::uint64_t block) const;  // what a read would see
  Bytes OnDisk(const File& f, std::uint64_t block) const;    // what the device holds
  void Store(File& f, std::uint64_t offset, ByteView data);
  Bytes FileBytes(const File& f, std::uint64_t offset, std::uint64_t length) const;  // to EOF
  os::Status Copy(const std::string& call, int in_fd, std::uint64_t in_offset, int out_fd,
                  std::uint64_t out_offset, std::uint64_t length);
  void Grow(File& f, std::uint64_t new_size);  // zeroes the old EOF block's tail
  void WriteBack(File& f, std::uint64_t first_block, std::uint64_t end_block);
  std::uint64_t Allocate();

  const std::string device_, mount_dir_, fstype_, uuid_;
  const std::uint32_t bs_;
  const std::uint64_t device_bytes_ = 256ull << 20;
  std::map<std::uint64_t, Bytes> disk_;  // block-aligned offset -> block
  std::uint64_t next_block_ = 1ull << 20;
  std::map<std::string, File> files_;  // by path
  std::map<int, Descriptor> fds_;
  std::map<int, Mapping> maps_;
  int next_fd_ = 100, next_map_ = 1;
  std::uint64_t next_ino_ = 12;
  bool mounted_ = true, shut_down_ = false;
  std::map<std::string, int> failures_;
  // The race steps call from several threads at once: the calls they make
  // (stat, pwrite, pread, fallocate, sync_range, fadvise, O_DIRECT reads,
  // mapping stores and msync) take this lock.
  std::recursive_mutex mu_;
};

}  // namespace eofzero::test
