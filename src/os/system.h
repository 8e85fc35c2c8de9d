// The machine, as the engine sees it. Every file, device, mount, shutdown,
// FIEMAP and child-process call the engine (and the scratch filesystem it
// runs on) makes goes through one System, in the spirit of leveldb's Env:
// RealSystem() is the kernel — each method is the os/ function of the same
// name — tests use a recording fake (tests/unit/fake_system.h), and the
// self-test's faults wrap a System (engine/faults.h).
//
// Descriptors and mapping ids are the System's own numbers: only the System
// that handed one out may use or close it. Each method's errors are those of
// the os/ function it stands for; in particular kUnsupported means the
// filesystem or kernel does not offer the operation (a case that needs it is
// a SKIP), and only the os/ layer decides which errnos mean that.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "os/blkid_probe.h"
#include "os/block_device.h"
#include "os/bytes.h"
#include "os/error.h"
#include "os/ext4_offline.h"
#include "os/fiemap.h"
#include "os/file_io.h"
#include "os/process.h"
#include "os/shutdown.h"

namespace eofzero::os {

// How a write goes out, as xfs_io's pwrite would send it: pwrite(2); with
// RWF_* flags or vectors, pwritev2(2) with `vectors` iovecs (at least one);
// on an O_APPEND descriptor, write(2) (the kernel picks the offset). With an
// alignment, from a buffer aligned for an O_DIRECT descriptor.
struct WriteHow {
  bool append = false;
  int rwf_flags = 0;
  std::uint32_t vectors = 0;
  std::uint32_t alignment = 0;
};

// The flushes a case can ask for (fsync(2), fdatasync(2), syncfs(2)).
enum class FlushCall { kFsync, kFdatasync, kSyncfs };

class System {
 public:
  virtual ~System() = default;

  // Files. open(2) flags; O_CLOEXEC is added.
  virtual Result<int> Open(const std::string& path, int flags, unsigned mode) = 0;
  virtual void Close(int fd) = 0;
  virtual Result<FileStat> Stat(int fd, const std::string& what) = 0;
  virtual Status Write(int fd, ByteView data, std::uint64_t offset, const WriteHow& how,
                       const std::string& what) = 0;
  // Up to `length` bytes, stopping early only at EOF (a length the tool chose).
  virtual Result<Bytes> Read(int fd, std::uint64_t offset, std::uint64_t length,
                             const std::string& what) = 0;
  virtual Status Truncate(int fd, std::uint64_t size, const std::string& what) = 0;
  virtual Status Fallocate(int fd, int mode, std::uint64_t offset, std::uint64_t length,
                           const std::string& what) = 0;
  virtual Status Flush(int fd, FlushCall call, const std::string& what) = 0;
  virtual void SyncAll() = 0;  // sync(2)
  virtual Status SyncRange(int fd, std::uint64_t offset, std::uint64_t length, bool wait_before,
                           bool write, bool wait_after, const std::string& what) = 0;
  virtual Status CopyRange(int in_fd, std::uint64_t in_offset, int out_fd, std::uint64_t out_offset,
                           std::uint64_t length, const std::string& what) = 0;
  virtual Status CloneRange(int src_fd, std::uint64_t src_offset, int dst_fd,
                            std::uint64_t dst_offset, std::uint64_t length,
                            const std::string& what) = 0;
  virtual Status DropCachedPages(int fd, const std::string& what) = 0;
  virtual Status MakeDirectory(const std::string& path) = 0;
  virtual Result<std::vector<Extent>> MapExtents(int fd, std::uint64_t start, std::uint64_t length,
                                                 FiemapSync sync, const std::string& what) = 0;
  virtual Result<bool> IsRealtimeFile(int fd, const std::string& what) = 0;
  virtual Result<Bytes> ReadThroughMmap(int fd, std::uint64_t page_offset, std::uint64_t length,
                                        const std::string& what) = 0;
  virtual Result<DirectReadResult> ReadDirect(const std::string& path, std::uint64_t offset,
                                              std::uint64_t length, std::uint32_t alignment) = 0;

  // Shared writable mappings, by id.
  virtual Result<int> MapShared(int fd, std::uint64_t page_offset, std::uint64_t length,
                                const std::string& what) = 0;
  virtual Status FillMapping(int id, std::uint64_t offset, std::uint64_t length,
                             std::uint8_t byte) = 0;
  virtual Status SyncMapping(int id, bool async, bool invalidate, bool sync) = 0;
  virtual void Unmap(int id) = 0;

  // Block devices, raw and exclusive (scratch/raw_access.h applies the safety
  // rules before any write).
  virtual Result<BlockGeometry> Geometry(const std::string& device) = 0;
  virtual Result<FsIdentity> Probe(const std::string& device) = 0;
  virtual Result<Bytes> ReadDevice(const std::string& device, std::uint64_t offset,
                                   std::uint64_t length) = 0;
  virtual Status WriteDevice(const std::string& device, std::uint64_t offset, ByteView data) = 0;
  // BLKFLSBUF: the device's page cache written back and dropped (what a
  // buffered read of the device sees next is what reached its backing store).
  virtual Status DropDeviceCache(const std::string& device) = 0;
  // An error (kSafety, EBUSY) when an exclusive open of the device is
  // refused: something holds it — a mount of it, in any mount namespace.
  virtual Status CheckNotClaimed(const std::string& device) = 0;

  // Mounts and shutdown.
  virtual Status Mount(const std::string& source, const std::string& target,
                       const std::string& fstype, const std::string& options) = 0;
  // A plain unmount of `target` — only when the mount a lookup finds there is
  // on device `devno` (kSafety otherwise: never someone else's mount stacked
  // on ours); with `lazy_if_busy`, a lazy one when the plain one fails.
  virtual Status Unmount(const std::string& target, std::uint64_t devno, bool lazy_if_busy) = 0;
  // FS_IOC_SHUTDOWN on the filesystem mounted at `path` — only when it is on
  // device `devno` (kSafety otherwise: never someone else's filesystem
  // mounted over ours since).
  virtual Status Shutdown(const std::string& path, std::uint64_t devno, ShutdownFlag flag) = 0;

  // Child processes (kUnsupported when argv[0] is not in PATH), and the
  // libext2fs offline reader.
  virtual Result<ProcessResult> Run(const std::vector<std::string>& argv) = 0;
  virtual Result<OfflineFileView> ReadExt4Offline(const std::string& device,
                                                  const std::string& path_in_fs,
                                                  std::uint64_t block_index) = 0;
};

// The kernel.
System& RealSystem();

// A System that passes every call on to another one (leveldb's EnvWrapper):
// a wrapper overrides only the calls it changes.
class SystemWrapper : public System {
 public:
  explicit SystemWrapper(System& target) : target_(target) {}
  System& target() const { return target_; }

  Result<int> Open(const std::string& path, int flags, unsigned mode) override {
    return target_.Open(path, flags, mode);
  }
  void Close(int fd) override { target_.Close(fd); }
  Result<FileStat> Stat(int fd, const std::string& what) override { return target_.Stat(fd, what); }
  Status Write(int fd, ByteView data, std::uint64_t offset, const WriteHow& how,
               const std::string& what) override {
    return target_.Write(fd, data, offset, how, what);
  }
  Result<Bytes> Read(int fd, std::uint64_t offset, std::uint64_t length,
                     const std::string& what) override {
    return target_.Read(fd, offset, length, what);
  }
  Status Truncate(int fd, std::uint64_t size, const std::string& what) override {
    return target_.Truncate(fd, size, what);
  }
  Status Fallocate(int fd, int mode, std::uint64_t offset, std::uint64_t length,
                   const std::string& what) override {
    return target_.Fallocate(fd, mode, offset, length, what);
  }
  Status Flush(int fd, FlushCall call, const std::string& what) override {
    return target_.Flush(fd, call, what);
  }
  void SyncAll() override { target_.SyncAll(); }
  Status SyncRange(int fd, std::uint64_t offset, std::uint64_t length, bool wait_before, bool write,
                   bool wait_after, const std::string& what) override {
    return target_.SyncRange(fd, offset, length, wait_before, write, wait_after, what);
  }
  Status CopyRange(int in_fd, std::uint64_t in_offset, int out_fd, std::uint64_t out_offset,
                   std::uint64_t length, const std::string& what) override {
    return target_.CopyRange(in_fd, in_offset, out_fd, out_offset, length, what);
  }
  Status CloneRange(int src_fd, std::uint64_t src_offset, int dst_fd, std::uint64_t dst_offset,
                    std::uint64_t length, const std::string& what) override {
    return target_.CloneRange(src_fd, src_offset, dst_fd, dst_offset, length, what);
  }
  Status DropCachedPages(int fd, const std::string& what) override {
    return target_.DropCachedPages(fd, what);
  }
  Status MakeDirectory(const std::string& path) override { return target_.MakeDirectory(path); }
  Result<std::vector<Extent>> MapExtents(int fd, std::uint64_t start, std::uint64_t length,
                                         FiemapSync sync, const std::string& what) override {
    return target_.MapExtents(fd, start, length, sync, what);
  }
  Result<bool> IsRealtimeFile(int fd, const std::string& what) override {
    return target_.IsRealtimeFile(fd, what);
  }
  Result<Bytes> ReadThroughMmap(int fd, std::uint64_t page_offset, std::uint64_t length,
                                const std::string& what) override {
    return target_.ReadThroughMmap(fd, page_offset, length, what);
  }
  Result<DirectReadResult> ReadDirect(const std::string& path, std::uint64_t offset,
                                      std::uint64_t length, std::uint32_t alignment) override {
    return target_.ReadDirect(path, offset, length, alignment);
  }
  Result<int> MapShared(int fd, std::uint64_t page_offset, std::uint64_t length,
                        const std::string& what) override {
    return target_.MapShared(fd, page_offset, length, what);
  }
  Status FillMapping(int id, std::uint64_t offset, std::uint64_t length,
                     std::uint8_t byte) override {
    return target_.FillMapping(id, offset, length, byte);
  }
  Status SyncMapping(int id, bool async, bool invalidate, bool sync) override {
    return target_.SyncMapping(id, async, invalidate, sync);
  }
  void Unmap(int id) override { target_.Unmap(id); }
  Result<BlockGeometry> Geometry(const std::string& device) override {
    return target_.Geometry(device);
  }
  Result<FsIdentity> Probe(const std::string& device) override { return target_.Probe(device); }
  Result<Bytes> ReadDevice(const std::string& device, std::uint64_t offset,
                           std::uint64_t length) override {
    return target_.ReadDevice(device, offset, length);
  }
  Status WriteDevice(const std::string& device, std::uint64_t offset, ByteView data) override {
    return target_.WriteDevice(device, offset, data);
  }
  Status DropDeviceCache(const std::string& device) override {
    return target_.DropDeviceCache(device);
  }
  Status CheckNotClaimed(const std::string& device) override {
    return target_.CheckNotClaimed(device);
  }
  Status Mount(const std::string& source, const std::string& target, const std::string& fstype,
               const std::string& options) override {
    return target_.Mount(source, target, fstype, options);
  }
  Status Unmount(const std::string& target, std::uint64_t devno, bool lazy_if_busy) override {
    return target_.Unmount(target, devno, lazy_if_busy);
  }
  Status Shutdown(const std::string& path, std::uint64_t devno, ShutdownFlag flag) override {
    return target_.Shutdown(path, devno, flag);
  }
  Result<ProcessResult> Run(const std::vector<std::string>& argv) override {
    return target_.Run(argv);
  }
  Result<OfflineFileView> ReadExt4Offline(const std::string& device, const std::string& path_in_fs,
                                          std::uint64_t block_index) override {
    return target_.ReadExt4Offline(device, path_in_fs, block_index);
  }

 private:
  System& target_;
};

// A descriptor of a System's, closed by it on destruction.
class SystemFd {
 public:
  SystemFd() = default;
  SystemFd(System& system, int fd) : system_(&system), fd_(fd) {}
  SystemFd(SystemFd&& other) noexcept : system_(other.system_), fd_(std::exchange(other.fd_, -1)) {}
  SystemFd& operator=(SystemFd&& other) noexcept {
    if (this != &other) {
      Reset();
      system_ = other.system_;
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~SystemFd() { Reset(); }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  void Reset() {
    if (fd_ >= 0) system_->Close(fd_);
    fd_ = -1;
  }
  System* system_ = nullptr;
  int fd_ = -1;
};

// Opens `path` through `system`, owned.
Result<SystemFd> OpenOwned(System& system, const std::string& path, int flags,
                           unsigned mode = 0644);

}  // namespace eofzero::os
