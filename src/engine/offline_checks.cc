// The after-crash checks that run with the filesystem unmounted and without
// the kernel's filesystem code: the offline oracle (libext2fs for ext4,
// xfs_db for xfs) with its cross-checks against FIEMAP and stat, and fsck.
#include <fcntl.h>

#include <string>

#include "engine/interpreter.h"
#include "os/fsck_run.h"
#include "scratch/xfs_offline.h"

namespace eofzero::engine {

using os::ErrorKind;
using os::Status;

// The EOF block as the on-disk metadata in `source` maps it: the device, or
// the image file under it (for xfs the block's bytes then come from the image
// too).
os::Result<OfflineFacts> Interpreter::ReadOfflineBlock(const std::string& source,
                                                       std::uint64_t inode) {
  const std::string name = std::filesystem::path(PathOf("")).filename().string();
  const std::uint64_t block_index = run_.eof_block / bs_;
  OfflineFacts out;
  if (fs_.spec().fs == scratch::FsType::kExt4) {
    EOFZERO_ASSIGN_OR_RETURN(auto v, sys().ReadExt4Offline(source, "/" + name, block_index));
    out.reader = "libext2fs";
    out.size = v.size;
    if (!v.hole && !v.inline_data) out.offset = v.PhysicalByteOffset();
    out.how = v.inline_data ? "inline data" : v.hole ? "hole" : v.unwritten ? "unwritten" : "";
    out.bytes = std::move(v.bytes);
    return out;
  }
  scratch::XfsOfflineBlock v;
  if (source == fs_.device()) {
    EOFZERO_ASSIGN_OR_RETURN(v, scratch::ReadXfsBlockOffline(fs_, inode, block_index));
  } else {
    EOFZERO_ASSIGN_OR_RETURN(v, scratch::LocateXfsBlockOffline(sys(), source, inode, block_index));
    v.bytes.assign(v.block_size, 0);
    if (v.byte_offset) {
      EOFZERO_ASSIGN_OR_RETURN(os::SystemFd fd, os::OpenOwned(sys(), source, O_RDONLY));
      EOFZERO_ASSIGN_OR_RETURN(v.bytes, sys().Read(fd.get(), *v.byte_offset, v.block_size, source));
    }
  }
  out.reader = "xfs_db";
  out.size = v.size;
  out.offset = v.byte_offset;
  out.how = !v.byte_offset ? "hole" : v.unwritten ? "unwritten" : "";
  out.bytes = std::move(v.bytes);
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

FsckObservation Interpreter::Fsck(const std::string& source, os::FsckSource kind) {
  FsckObservation obs;
  obs.tool = fs_.spec().fs == scratch::FsType::kExt4 ? os::FsckTool::kE2fsck
                                                       : os::FsckTool::kXfsRepair;
  if (auto r = os::RunFsckNoModify(sys(), obs.tool, source, kind); r)
    obs.run = std::move(*r);
  else
    obs.not_run = r.error();
  return obs;
}

void Interpreter::RunFsck() { run_.fsck.push_back(Fsck(fs_.device(), os::FsckSource::kDevice)); }

}  // namespace eofzero::engine
