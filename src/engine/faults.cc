#include "engine/faults.h"

#include <fcntl.h>

#include <atomic>
#include <map>
#include <new>
#include <string>

#include "engine/sentinel.h"
#include "scratch/plant_target.h"
#include "scratch/raw_access.h"
#include "fsdriver/registry.h"

namespace eofzero::engine {
namespace {

using os::ErrorKind;
using os::Fail;
using os::Status;

constexpr FaultInfo kFaults[] = {
    {Fault::kPlantLostWrite, "plant-lost-write"},
    {Fault::kStaleAfterCrash, "stale-after-crash"},
    {Fault::kStaleInCache, "stale-in-cache"},
    {Fault::kWrongSizeAfterCrash, "wrong-size-after-crash"},
    {Fault::kCorruptDirectoryAfterCrash, "corrupt-directory-after-crash"},
    {Fault::kThrowAfterPlant, "throw-after-plant"},
    {Fault::kCacheDisagreesWithDisk, "cache-disagrees-with-disk"},
    {Fault::kLoseSectorWrite, "lose-sector-write"},
    {Fault::kLosePromisedDataAfterCrash, "lose-promised-data-after-crash"},
    {Fault::kStaleAfterCrashAfterCopy, "stale-after-crash-after-copy-range"},
    {Fault::kStatLiesAfterCrash, "stat-lies-after-crash"},
};

// Enough entries that a directory needs a block of its own on xfs (not
// short form inside the inode).
constexpr int kDirectoryEntries = 64;

// Watches the calls a case makes — which file a FIEMAP maps, the plant's
// device write, the shutdown, the mount after it — and does its fault at its
// moment, through the System it wraps.
class FaultySystem final : public os::SystemWrapper {
 public:
  FaultySystem(Fault fault, os::System& inner, const scratch::ScratchFs& fs)
      : SystemWrapper(inner), fault_(fault), fs_(fs) {}

  os::Result<int> Open(const std::string& path, int flags, unsigned mode) override {
    EOFZERO_ASSIGN_OR_RETURN(int fd, target().Open(path, flags, mode));
    paths_[fd] = path;
    return fd;
  }
  void Close(int fd) override {
    paths_.erase(fd);
    target().Close(fd);
  }
  os::Result<std::vector<os::Extent>> MapExtents(int fd, std::uint64_t start, std::uint64_t length,
                                                 os::FiemapSync sync,
                                                 const std::string& what) override {
    if (!planted_) {
      auto st = target().Stat(fd, what);
      mapped_ = {paths_[fd], start, st ? st->size : 0};
    }
    return target().MapExtents(fd, start, length, sync, what);
  }
  Status WriteDevice(const std::string& device, std::uint64_t offset, ByteView data) override {
    if (planted_) return target().WriteDevice(device, offset, data);
    planted_ = true;  // the first device write of a case is its plant
    plant_ = {mapped_, Bytes(data.begin(), data.end())};
    if (fault_ == Fault::kPlantLostWrite) return {};
    return target().WriteDevice(device, offset, data);
  }
  Status Shutdown(const std::string& path, std::uint64_t devno, os::ShutdownFlag flag) override {
    crashed_ = true;
    return target().Shutdown(path, devno, flag);
  }
  Status Mount(const std::string& source, const std::string& where, const std::string& fstype,
               const std::string& options) override {
    if (cached_ && !healed_) {  // the next mount reads the disk's version again
      healed_ = true;
      EOFZERO_RETURN_IF_ERROR(target().DropDeviceCache(fs_.device()));
    }
    EOFZERO_RETURN_IF_ERROR(target().Mount(source, where, fstype, options));
    if (!crashed_ || done_) return {};
    done_ = true;  // the first mount after the crash: cycle_mount's
    Status done = AfterTheCrashMount(source, where, fstype, options);
    // A failed Mount means nothing is mounted to its caller, who will not
    // unmount it: so it is not (the fault's own remount may have failed).
    if (!done) (void)UnmountOurs(where);
    return done;
  }
  // Unmounts `where` only when it is this filesystem (ScratchFs::IdentifyMount).
  Status UnmountOurs(const std::string& where) {
    EOFZERO_ASSIGN_OR_RETURN(auto ours, fs_.IdentifyMount(where));
    return target().Unmount(where, ours.table_dev, false);
  }
  Status AfterTheCrashMount(const std::string& source, const std::string& where,
                            const std::string& fstype, const std::string& options) {
    switch (fault_) {
      case Fault::kStaleAfterCrash:
        return Replant(source, where, fstype, options);
      case Fault::kStaleAfterCrashAfterCopy:
        return copied_ ? Replant(source, where, fstype, options) : Status{};
      case Fault::kWrongSizeAfterCrash:
        return GrowByOneByte();
      case Fault::kLosePromisedDataAfterCrash:
        return ZeroTheFirstBytes();
      case Fault::kCorruptDirectoryAfterCrash:
        return CorruptDirectory(where, fstype, options);
      default:
        return {};
    }
  }
  Status Unmount(const std::string& where, std::uint64_t devno, bool lazy_if_busy) override {
    EOFZERO_RETURN_IF_ERROR(target().Unmount(where, devno, lazy_if_busy));
    if (fault_ != Fault::kCacheDisagreesWithDisk || !done_ || cached_) return {};
    cached_ = true;  // the unmount for the after-crash checks
    return ChangeCacheOnly();
  }
  os::Result<os::FileStat> Stat(int fd, const std::string& what) override {
    EOFZERO_ASSIGN_OR_RETURN(os::FileStat st, target().Stat(fd, what));
    if (fault_ == Fault::kStatLiesAfterCrash && done_ && paths_[fd] == plant_.file.path)
      st.size += 1;
    return st;
  }
  os::Result<Bytes> Read(int fd, std::uint64_t offset, std::uint64_t length,
                         const std::string& what) override {
    if (fault_ == Fault::kStaleInCache && planted_ && !crashed_ && !done_ &&
        paths_[fd] == plant_.file.path && offset == plant_.file.file_offset &&
        length == fs_.block_size()) {
      done_ = true;
      EOFZERO_RETURN_IF_ERROR(SentinelPastEof(fd, what));
    }
    return target().Read(fd, offset, length, what);
  }
  Status Write(int fd, ByteView data, std::uint64_t offset, const os::WriteHow& how,
               const std::string& what) override {
    ThrowIfDue();
    // Race steps write from several threads: the count is atomic.
    if (fault_ == Fault::kLoseSectorWrite && planted_ && how.alignment &&
        data.size() < fs_.block_size() && ++sector_writes_ == 2)
      return {};
    return target().Write(fd, data, offset, how, what);
  }
  Status CopyRange(int in_fd, std::uint64_t in_offset, int out_fd, std::uint64_t out_offset,
                   std::uint64_t length, const std::string& what) override {
    ThrowIfDue();
    if (planted_) copied_ = true;
    return target().CopyRange(in_fd, in_offset, out_fd, out_offset, length, what);
  }
  Status Truncate(int fd, std::uint64_t size, const std::string& what) override {
    ThrowIfDue();
    return target().Truncate(fd, size, what);
  }
  Status Fallocate(int fd, int mode, std::uint64_t offset, std::uint64_t length,
                   const std::string& what) override {
    ThrowIfDue();
    return target().Fallocate(fd, mode, offset, length, what);
  }

 private:
  struct Mapped {
    std::string path;
    std::uint64_t file_offset = 0;  // of the block mapped
    std::uint64_t file_size = 0;    // when it was mapped: the old EOF, for the plant
  };
  struct Planted {
    Mapped file;
    Bytes sentinel;
  };

  std::atomic<int> sector_writes_{0};

  void ThrowIfDue() {
    if (fault_ == Fault::kThrowAfterPlant && planted_) throw std::bad_alloc();
  }

  // The sentinel again over the planted block, wherever the crash left it
  // (mapped anew), written as the plant was: with the filesystem unmounted,
  // after the same UUID and extent checks.
  Status Replant(const std::string& source, const std::string& where, const std::string& fstype,
                 const std::string& options) {
    const auto bs = static_cast<std::uint32_t>(plant_.sentinel.size());
    std::expected<scratch::BlockLocation, std::string> at;
    {
      EOFZERO_ASSIGN_OR_RETURN(auto fd, os::OpenOwned(target(), plant_.file.path, O_RDONLY));
      EOFZERO_ASSIGN_OR_RETURN(auto extents,
                               target().MapExtents(fd.get(), plant_.file.file_offset, bs,
                                                   os::FiemapSync::kNo, plant_.file.path));
      EOFZERO_ASSIGN_OR_RETURN(extents, fsdriver::Driver(fs_.spec().fs)
                                            .DeviceExtents(target(), fs_.device(), std::move(extents)));
      EOFZERO_ASSIGN_OR_RETURN(auto geometry, target().Geometry(fs_.device()));
      at = scratch::LocateBlockForPlant(extents, plant_.file.file_offset, bs, geometry.size);
    }
    if (!at) return Fail(ErrorKind::kVerification, "cannot re-plant: " + at.error());
    EOFZERO_RETURN_IF_ERROR(UnmountOurs(where));
    EOFZERO_RETURN_IF_ERROR(
        scratch::WriteInsideExtent(fs_, *at, at->device_offset, plant_.sentinel));
    return target().Mount(source, where, fstype, options);
  }

  // See Fault::kCacheDisagreesWithDisk. Written through the same UUID check
  // as the plant; the image is restored through its own file.
  Status ChangeCacheOnly() {
    const std::string image = fs_.image_path().string();
    if (image.empty())
      return Fail(ErrorKind::kVerification,
                  "the cache-only fault needs an image this run made (not a scratch device)");
    EOFZERO_ASSIGN_OR_RETURN(os::FsIdentity id, target().Probe(fs_.device()));
    if (id.uuid != fs_.uuid())
      return Fail(ErrorKind::kSafety, fs_.device() + " does not hold this run's filesystem");
    const std::uint32_t bs = fs_.block_size();
    // A metadata block and a byte of it, the driver's (ext4: a group
    // descriptor's free block count; xfs: the superblock's fdblocks).
    const fsdriver::CacheFaultTarget target_block = fsdriver::Driver(fs_.spec().fs).CacheFault(bs);
    const std::uint64_t block = target_block.offset;
    EOFZERO_ASSIGN_OR_RETURN(os::SystemFd disk, os::OpenOwned(target(), image, O_RDWR));
    EOFZERO_ASSIGN_OR_RETURN(Bytes original, target().Read(disk.get(), block, bs, image));
    if (original.size() != bs) return Fail(ErrorKind::kVerification, "short read of " + image);
    Bytes changed = original;
    // One lower (wrapping).
    const std::size_t at = target_block.byte;
    changed[at] = static_cast<std::uint8_t>(changed[at] - 1);
    {
      EOFZERO_ASSIGN_OR_RETURN(os::SystemFd dev, os::OpenOwned(target(), fs_.device(), O_RDWR));
      EOFZERO_RETURN_IF_ERROR(target().Write(dev.get(), changed, block, {}, fs_.device()));
      EOFZERO_RETURN_IF_ERROR(target().Flush(dev.get(), os::FlushCall::kFsync, fs_.device()));
    }
    EOFZERO_RETURN_IF_ERROR(target().Write(disk.get(), original, block, {}, image));
    return target().Flush(disk.get(), os::FlushCall::kFsync, image);
  }

  Status GrowByOneByte() {
    EOFZERO_ASSIGN_OR_RETURN(auto fd, os::OpenOwned(target(), plant_.file.path, O_RDWR));
    EOFZERO_ASSIGN_OR_RETURN(os::FileStat st, target().Stat(fd.get(), plant_.file.path));
    return target().Truncate(fd.get(), st.size + 1, plant_.file.path);
  }

  Status ZeroTheFirstBytes() {
    EOFZERO_ASSIGN_OR_RETURN(auto fd, os::OpenOwned(target(), plant_.file.path, O_RDWR));
    const Bytes zeros(16, 0);
    EOFZERO_RETURN_IF_ERROR(target().Write(fd.get(), zeros, 0, {}, plant_.file.path));
    return target().Flush(fd.get(), os::FlushCall::kFsync, plant_.file.path);
  }

  // The sentinel written through the file over the gap: from the old EOF to
  // the end of its block.
  Status SentinelPastEof(int fd, const std::string& what) {
    const std::uint64_t eof = plant_.file.file_size, block = plant_.file.file_offset;
    const std::uint64_t end = block + plant_.sentinel.size();
    if (eof < block || eof >= end) return {};
    const ByteView tail(plant_.sentinel.data() + (eof - block), end - eof);
    return target().Write(fd, tail, eof, {}, what);
  }

  Status CorruptDirectory(const std::string& where, const std::string& fstype,
                          const std::string& options) {
    const std::string dir = plant_.file.path + ".fsck_control";
    const std::uint32_t bs = fs_.block_size();
    EOFZERO_RETURN_IF_ERROR(target().MakeDirectory(dir));
    for (int i = 0; i < kDirectoryEntries; ++i) {
      EOFZERO_RETURN_IF_ERROR(
          os::OpenOwned(target(), dir + "/an_entry_with_a_long_enough_name_" + std::to_string(i),
                        O_WRONLY | O_CREAT));
    }
    std::optional<scratch::BlockLocation> at;
    std::uint64_t inode = 0;
    {
      EOFZERO_ASSIGN_OR_RETURN(auto fd, os::OpenOwned(target(), dir, O_RDONLY | O_DIRECTORY));
      EOFZERO_RETURN_IF_ERROR(target().Flush(fd.get(), os::FlushCall::kFsync, dir));
      EOFZERO_ASSIGN_OR_RETURN(os::FileStat st, target().Stat(fd.get(), dir));
      inode = st.inode;
      if (fsdriver::Driver(fs_.spec().fs).FiemapMapsDirectories()) {
        EOFZERO_ASSIGN_OR_RETURN(auto extents,
                                 target().MapExtents(fd.get(), 0, bs, os::FiemapSync::kYes, dir));
        EOFZERO_ASSIGN_OR_RETURN(extents, fsdriver::Driver(fs_.spec().fs)
                                              .DeviceExtents(target(), fs_.device(), std::move(extents)));
        EOFZERO_ASSIGN_OR_RETURN(auto geometry, target().Geometry(fs_.device()));
        auto located = scratch::LocateBlockForPlant(extents, 0, bs, geometry.size);
        if (!located) return Fail(ErrorKind::kVerification, "directory block: " + located.error());
        at = *located;
      }
    }
    EOFZERO_RETURN_IF_ERROR(UnmountOurs(where));
    if (!at) {
      const fsdriver::FsDriver& driver = fsdriver::Driver(fs_.spec().fs);
      EOFZERO_ASSIGN_OR_RETURN(auto b, driver.ReadOffline(target(), fs_.device(), "", inode, 0));
      if (!b.offset || b.extent_bytes == 0)
        return Fail(ErrorKind::kVerification,
                    b.reader + " maps no first block for the directory");
      at = scratch::BlockLocation{*b.offset, b.block_size,
                                  os::Extent{0, *b.offset, b.extent_bytes, 0}};
    }
    const Bytes sentinel = SentinelBlock(bs);
    EOFZERO_RETURN_IF_ERROR(scratch::WriteInsideExtent(fs_, *at, at->device_offset, sentinel));
    EOFZERO_ASSIGN_OR_RETURN(Bytes back, scratch::ReadDeviceRange(fs_, at->device_offset, bs));
    if (back != sentinel)
      return Fail(ErrorKind::kVerification, "the directory block does not hold the sentinel");
    return target().Mount(fs_.device(), where, fstype, options);
  }

  const Fault fault_;
  const scratch::ScratchFs& fs_;
  std::map<int, std::string> paths_;  // open descriptors
  Mapped mapped_;                     // the last file FIEMAP'd before the plant
  Planted plant_;
  bool planted_ = false, crashed_ = false, done_ = false;
  bool cached_ = false, healed_ = false;  // kCacheDisagreesWithDisk
  bool copied_ = false;                   // kStaleAfterCrashAfterCopy
};

}  // namespace

std::span<const FaultInfo> Faults() { return kFaults; }

std::optional<Fault> ParseFault(std::string_view name) {
  for (const auto& f : kFaults)
    if (name == f.name) return f.fault;
  return std::nullopt;
}

const char* FaultName(Fault fault) {
  for (const auto& f : kFaults)
    if (f.fault == fault) return f.name;
  return "?";
}

std::unique_ptr<os::System> WrapWithFault(Fault fault, os::System& inner,
                                          const scratch::ScratchFs& fs) {
  return std::make_unique<FaultySystem>(fault, inner, fs);
}

}  // namespace eofzero::engine
