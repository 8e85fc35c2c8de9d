// The after-crash checks that run with the filesystem unmounted and without
// the kernel's filesystem code: the offline oracle (the driver's reader:
// libext2fs, xfs_db, ...) with its cross-checks against FIEMAP and stat, and
// fsck (the driver's, in no-modify mode).
#include <fcntl.h>

#include <string>

#include "engine/interpreter.h"
#include "fsdriver/registry.h"
#include "scratch/raw_access.h"

namespace eofzero::engine {

using os::ErrorKind;
using os::Status;

// The EOF block as the on-disk metadata in `source` maps it: the device, or
// the image file under it. Where the reader only locates the block, its bytes
// come from the same source: the device through the raw-access checks, the
// image through its file.
os::Result<OfflineFacts> Interpreter::ReadOfflineBlock(const std::string& source,
                                                       std::uint64_t inode) {
  const std::string name = std::filesystem::path(PathOf("")).filename().string();
  const std::uint64_t block_index = run_.eof_block / bs_;
  if (source == fs_.device() && fs_.mounted())
    return os::Fail(ErrorKind::kSafety,
                    "offline read of " + fs_.device() + ": the filesystem is mounted");
  EOFZERO_ASSIGN_OR_RETURN(
      fsdriver::OfflineBlock v,
      fsdriver::Driver(fs_.spec().fs).ReadOffline(sys(), source, "/" + name, inode, block_index));
  // Inline data the reader does not read itself (btrfs, f2fs): nothing on
  // the disk's block map to examine, and no bytes to judge; never zeros.
  if (!v.bytes && !v.offset && v.how == "inline data")
    return os::Fail(ErrorKind::kUnsupported,
                    v.reader + " maps the EOF block as inline data and does not read it");
  OfflineFacts out;
  out.reader = v.reader;
  out.size = v.size;
  out.offset = v.offset;
  out.how = v.how;
  if (v.bytes) {
    out.bytes = std::move(*v.bytes);
  } else if (!v.offset) {
    out.bytes.assign(v.block_size, 0);
  } else if (source == fs_.device()) {
    EOFZERO_ASSIGN_OR_RETURN(out.bytes, scratch::ReadDeviceRange(fs_, *v.offset, v.block_size));
  } else {
    out.bytes.assign(v.block_size, 0);
    EOFZERO_ASSIGN_OR_RETURN(os::SystemFd fd, os::OpenOwned(sys(), source, O_RDONLY));
    EOFZERO_ASSIGN_OR_RETURN(out.bytes, sys().Read(fd.get(), *v.offset, v.block_size, source));
  }
  return out;
}

Status Interpreter::ReadOffline(const std::optional<scratch::BlockLocation>& fiemap,
                                std::uint64_t inode, std::uint64_t kernel_size) {
  auto block = ReadOfflineBlock(fs_.device(), inode);
  if (!block) {
    if (block.error().kind != ErrorKind::kUnsupported) return std::unexpected(block.error());
    run_.notes.push_back("offline oracle not available: " + block.error().Message());
    return {};
  }
  if (run_.disk_views) run_.disk_views->kernel.offline = *block;
  const std::string at = block->offset ? std::to_string(*block->offset) : block->how;
  if (block->size != kernel_size)
    run_.disagreements.push_back(block->reader + " reads an on-disk size of " +
                                 std::to_string(block->size) + "; stat said " +
                                 std::to_string(kernel_size));
  if (fiemap && (block->how == "unwritten" || block->how == "hole"))
    run_.disagreements.push_back("FIEMAP maps the EOF block as written at device offset " +
                                 std::to_string(fiemap->device_offset) + "; " + block->reader +
                                 " says " + block->how);
  else if (fiemap && block->offset != fiemap->device_offset)
    run_.disagreements.push_back("FIEMAP maps the EOF block to device offset " +
                                 std::to_string(fiemap->device_offset) + "; " + block->reader +
                                 " maps it to " + at);
  if (block->how == "hole" || block->how == "unwritten") {
    // Reads as zeros through the kernel: nothing on disk to examine.
    run_.notes.push_back("offline oracle: " + block->reader + " maps the EOF block as " +
                         block->how);
    return {};
  }
  BlockView view;
  view.oracle = Oracle::kOffline;
  view.phase = Phase::kAfterCrash;
  view.base_offset = block->offset.value_or(0);
  view.bytes = std::move(block->bytes);
  view.gap = ByteRange{run_.old_eof - run_.eof_block, bs_};
  view.written = run_.written;
  view.events = run_.history.events.size();
  view.file_size = kernel_size;
  view.note = block->reader + ": inode " + std::to_string(inode) + ", on-disk size " +
              std::to_string(block->size) + ", EOF block at device offset " + at;
  run_.views.push_back(std::move(view));
  return {};
}

FsckObservation Interpreter::Fsck(const std::string& source, fsdriver::FsckSource kind) {
  FsckObservation obs;
  obs.fs = fs_.spec().fs;
  const fsdriver::FsDriver& driver = fsdriver::Driver(obs.fs);
  if (auto r = sys().Run(driver.FsckArgv(source, kind)); r)
    obs.run = std::move(*r);
  else if (r.error().kind == ErrorKind::kUnsupported)
    obs.not_run = os::Error{ErrorKind::kUnsupported, 0,
                            std::string(driver.FsckProgram()) +
                                " not found in PATH: cannot check " + source};
  else
    obs.not_run = r.error();
  return obs;
}

void Interpreter::RunFsck() {
  run_.fsck.push_back(Fsck(fs_.device(), fsdriver::FsckSource::kDevice));
}

}  // namespace eofzero::engine
