// RealSystem: each method is the os/ function of the same name.
#include <fcntl.h>

#include <map>

#include "os/file_ops.h"
#include "os/mount.h"
#include "os/system.h"

namespace eofzero::os {
namespace {

class Kernel final : public System {
 public:
  Result<int> Open(const std::string& path, int flags, unsigned mode) override {
    EOFZERO_ASSIGN_OR_RETURN(UniqueFd fd, OpenFile(path, flags, mode));
    return fd.release();
  }
  void Close(int fd) override { UniqueFd closing(fd); }
  Result<FileStat> Stat(int fd, const std::string& what) override { return StatFile(fd, what); }
  Status Write(int fd, ByteView data, std::uint64_t offset, const WriteHow& how,
               const std::string& what) override {
    return WriteOut(fd, data, offset, how, what);
  }
  Result<Bytes> Read(int fd, std::uint64_t offset, std::uint64_t length,
                     const std::string& what) override {
    return ReadUpTo(fd, offset, length, what);
  }
  Status Truncate(int fd, std::uint64_t size, const std::string& what) override {
    return os::Truncate(fd, size, what);
  }
  Status Fallocate(int fd, int mode, std::uint64_t offset, std::uint64_t length,
                   const std::string& what) override {
    return os::Fallocate(fd, mode, offset, length, what);
  }
  Status Flush(int fd, FlushCall call, const std::string& what) override {
    switch (call) {
      case FlushCall::kFsync:
        return Fsync(fd, what);
      case FlushCall::kFdatasync:
        return Fdatasync(fd, what);
      case FlushCall::kSyncfs:
        return Syncfs(fd, what);
    }
    return Fail(ErrorKind::kInvalid, "flush " + what + ": unknown call");
  }
  void SyncAll() override { os::SyncAll(); }
  Status SyncRange(int fd, std::uint64_t offset, std::uint64_t length, bool wait_before, bool write,
                   bool wait_after, const std::string& what) override {
    return os::SyncRange(fd, offset, length, wait_before, write, wait_after, what);
  }
  Status CopyRange(int in_fd, std::uint64_t in_offset, int out_fd, std::uint64_t out_offset,
                   std::uint64_t length, const std::string& what) override {
    return os::CopyRange(in_fd, in_offset, out_fd, out_offset, length, what);
  }
  Status CloneRange(int src_fd, std::uint64_t src_offset, int dst_fd, std::uint64_t dst_offset,
                    std::uint64_t length, const std::string& what) override {
    return os::CloneRange(src_fd, src_offset, dst_fd, dst_offset, length, what);
  }
  Status DropCachedPages(int fd, const std::string& what) override {
    return os::DropCachedPages(fd, what);
  }
  Status MakeDirectory(const std::string& path) override { return os::MakeDirectory(path); }
  Result<std::vector<Extent>> MapExtents(int fd, std::uint64_t start, std::uint64_t length,
                                         FiemapSync sync, const std::string& what) override {
    return os::MapExtents(fd, start, length, sync, what);
  }
  Result<bool> IsRealtimeFile(int fd, const std::string& what) override {
    return os::IsRealtimeFile(fd, what);
  }
  Result<Bytes> ReadThroughMmap(int fd, std::uint64_t page_offset, std::uint64_t length,
                                const std::string& what) override {
    return os::ReadThroughMmap(fd, page_offset, length, what);
  }
  Result<DirectReadResult> ReadDirect(const std::string& path, std::uint64_t offset,
                                      std::uint64_t length, std::uint32_t alignment) override {
    return os::ReadDirect(path, offset, length, alignment);
  }
  Result<int> MapShared(int fd, std::uint64_t page_offset, std::uint64_t length,
                        const std::string& what) override {
    EOFZERO_ASSIGN_OR_RETURN(SharedMapping m, SharedMapping::Map(fd, page_offset, length, what));
    mappings_.emplace(next_mapping_, std::move(m));
    return next_mapping_++;
  }
  Status FillMapping(int id, std::uint64_t offset, std::uint64_t length,
                     std::uint8_t byte) override {
    EOFZERO_ASSIGN_OR_RETURN(SharedMapping * m, Mapping(id));
    return m->Fill(offset, length, byte);
  }
  Status SyncMapping(int id, bool async, bool invalidate, bool sync) override {
    EOFZERO_ASSIGN_OR_RETURN(SharedMapping * m, Mapping(id));
    return m->Sync(async, invalidate, sync);
  }
  void Unmap(int id) override { mappings_.erase(id); }
  Result<BlockGeometry> Geometry(const std::string& device) override {
    return ProbeGeometry(device);
  }
  Result<FsIdentity> Probe(const std::string& device) override { return ProbeFilesystem(device); }
  Result<Bytes> ReadDevice(const std::string& device, std::uint64_t offset,
                           std::uint64_t length) override {
    EOFZERO_ASSIGN_OR_RETURN(auto dev, BlockDevice::Open(device, BlockDevice::Mode::kReadOnly));
    return dev.Read(offset, length);
  }
  Status WriteDevice(const std::string& device, std::uint64_t offset, ByteView data) override {
    EOFZERO_ASSIGN_OR_RETURN(auto dev, BlockDevice::Open(device, BlockDevice::Mode::kReadWrite));
    return dev.Write(offset, data);
  }
  Status DropDeviceCache(const std::string& device) override { return DropBufferCache(device); }
  Status CheckNotClaimed(const std::string& device) override {
    return os::CheckNotClaimed(device);
  }
  Status Mount(const std::string& source, const std::string& target, const std::string& fstype,
               const std::string& options) override {
    return MountFilesystem(source, target, fstype, options);
  }
  Status Unmount(const std::string& target, std::uint64_t devno, bool lazy_if_busy) override {
    EOFZERO_ASSIGN_OR_RETURN(auto top, TopMountAt(target));
    if (top && top->devno != devno)
      return Fail(ErrorKind::kSafety, "umount " + target + ": " + top->source + " (" + top->fstype +
                                          ") is mounted over it; refusing to "
                                          "unmount what is not ours");
    return UnmountFilesystem(target, lazy_if_busy);
  }
  Status Shutdown(const std::string& path, std::uint64_t devno, ShutdownFlag flag) override {
    return ShutdownFilesystem(path, devno, flag);
  }
  Result<ProcessResult> Run(const std::vector<std::string>& argv) override {
    if (!argv.empty() && !ProgramExists(argv[0]))
      return Fail(ErrorKind::kUnsupported, argv[0] + " not found in PATH");
    return RunProcess(argv);
  }
  Result<OfflineFileView> ReadExt4Offline(const std::string& device, const std::string& path_in_fs,
                                          std::uint64_t block_index) override {
    return ReadExt4FileOffline(device, path_in_fs, block_index);
  }

 private:
  Result<SharedMapping*> Mapping(int id) {
    auto it = mappings_.find(id);
    if (it == mappings_.end()) return Fail(ErrorKind::kInvalid, "no mapping " + std::to_string(id));
    return &it->second;
  }
  std::map<int, SharedMapping> mappings_;
  int next_mapping_ = 1;
};

}  // namespace

System& RealSystem() {
  static Kernel kernel;
  return kernel;
}

Result<SystemFd> OpenOwned(System& system, const std::string& path, int flags, unsigned mode) {
  EOFZERO_ASSIGN_OR_RETURN(int fd, system.Open(path, flags, mode));
  return SystemFd(system, fd);
}

}  // namespace eofzero::os
