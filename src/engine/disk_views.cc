// The two views of the unmounted disk after the crash (DESIGN.md, "Two views
// of the disk"). What the kernel will use is the block device read through
// its page cache: a page the aborted transaction changed can stay there across
// umount while the device stays open, and the next mount uses it. What
// reached the disk is the backing store:
//  - an image this run made: the image file, read directly (the loop device
//    writes into it; reading it leaves the block device's cache as it is);
//  - a user's scratch device: the same device after BLKFLSBUF has written
//    back and dropped its cache.
// Afterwards the cache is dropped on images too, so that the next mount, and
// the next case, start from what reached the disk, as after a real crash.
// fsck, the offline reader and the metadata counters (each the driver's:
// fsdriver/driver.h) run on each view; oracles/disk_views.h
// compares them. The kernel view goes first, and within it the metadata dump:
// xfsprogs drops a block device's cache when it closes it (BLKFLSBUF in
// libxfs_device_close), so on xfs only the first xfs_db run reads the cache,
// and the disk view runs only its own metadata dump (its offline reader and
// fsck would read the bytes the kernel view's read).
#include <chrono>
#include <string>
#include <vector>

#include "engine/interpreter.h"
#include "fsdriver/registry.h"

namespace eofzero::engine {

using os::Status;

void Interpreter::DumpMetadata(DiskView& view) {
  const fsdriver::FsDriver& driver = fsdriver::Driver(fs_.spec().fs);
  auto run = sys().Run(driver.MetadataDumpArgv(view.source));
  if (!run) {
    view.metadata_error = run.error().Message();
  } else if (!run->ok()) {
    view.metadata_error = run->Describe();
  } else {
    run->out = driver.MetadataDumpKept(std::move(run->out));
    view.metadata = std::move(*run);
  }
  if (!view.metadata_error.empty())
    run_.notes.push_back("metadata of " + view.source + " not read: " + view.metadata_error);
}

Status Interpreter::CheckDiskViews(const std::optional<scratch::BlockLocation>& fiemap,
                                   std::uint64_t inode, std::uint64_t kernel_size) {
  using Clock = std::chrono::steady_clock;
  DiskViews& views = run_.disk_views.emplace();
  views.kernel.source = fs_.device();
  views.kernel.how = "the block device read through its page cache (what the next mount uses)";
  // A filesystem whose kernel writes around the cache: what is cached there
  // is not what the next mount uses; the kernel's view reads the disk too.
  if (const auto why = fsdriver::Driver(fs_.spec().fs).KernelWritesAroundTheDeviceCache();
      !why.empty()) {
    EOFZERO_RETURN_IF_ERROR(sys().DropDeviceCache(fs_.device()));
    views.kernel.how = "the block device after its page cache was dropped (BLKFLSBUF): " + why;
  }
  auto start = Clock::now();
  DumpMetadata(views.kernel);
  views.extra_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  EOFZERO_RETURN_IF_ERROR(ReadOffline(fiemap, inode, kernel_size));
  RunFsck();
  views.kernel.fsck = run_.fsck.back();
  start = Clock::now();
  EOFZERO_RETURN_IF_ERROR(ReadDiskView(views, inode));
  // A real crash loses the cache with the machine; here it would outlive the
  // case and the next mount would use it (and write it back): every case
  // starts from what reached the disk. (A scratch device's was dropped above.)
  if (!fs_.image_path().empty())
    if (auto dropped = sys().DropDeviceCache(fs_.device()); !dropped)
      run_.notes.push_back("the block device's cache was not dropped after the checks: " +
                           dropped.error().Message());
  views.extra_seconds += std::chrono::duration<double>(Clock::now() - start).count();
  return {};
}

// The disk's view: the image file, or the scratch device after BLKFLSBUF.
Status Interpreter::ReadDiskView(DiskViews& views, std::uint64_t inode) {
  DiskView disk;
  fsdriver::FsckSource kind = fsdriver::FsckSource::kDevice;
  if (!fs_.image_path().empty()) {
    disk.source = fs_.image_path().string();
    disk.how = "the image file under the loop device, read directly";
    kind = fsdriver::FsckSource::kImageFile;
  } else if (auto dropped = sys().DropDeviceCache(fs_.device()); dropped) {
    disk.source = fs_.device();
    disk.how = "the device after its page cache was dropped (BLKFLSBUF)";
  } else {
    views.unavailable = "cannot drop the block device's cache: " + dropped.error().Message();
    run_.notes.push_back("the disk's view is not available: " + views.unavailable);
    return {};
  }
  DumpMetadata(disk);
  if (fsdriver::Driver(fs_.spec().fs).OnlyTheDumpReadsTheCache()) {
    // The kernel view's offline reader and fsck read the disk already.
    disk.how += "; its offline reader and fsck are the block device's, which read the disk "
                "once the metadata dump had dropped the device's cache";
    disk.offline = views.kernel.offline;
    disk.fsck = views.kernel.fsck;
    views.disk = std::move(disk);
    return {};
  }
  if (views.kernel.offline) {  // the same reader, where the kernel view had one
    auto block = ReadOfflineBlock(disk.source, inode);
    if (block) {
      disk.offline = std::move(*block);
    } else {
      disk.offline.emplace().error = block.error().Message();
    }
  }
  disk.fsck = Fsck(disk.source, kind);
  views.disk = std::move(disk);
  return {};
}

}  // namespace eofzero::engine
