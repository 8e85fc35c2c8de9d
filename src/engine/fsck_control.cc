// fsck's positive control: a directory of the case's own, its first block
// mapped (FIEMAP on ext4; xfs_db on xfs, whose FIEMAP refuses directories)
// and overwritten with the sentinel through the same raw-write gate as the
// plant (UUID check, inside the mapped extent, unmounted). fsck must call the
// filesystem corrupt afterwards.
#include <fcntl.h>

#include "engine/interpreter.h"
#include "engine/sentinel.h"
#include "os/block_device.h"
#include "os/fiemap.h"
#include "os/file_io.h"
#include "scratch/raw_access.h"
#include "scratch/xfs_offline.h"

namespace eofzero::engine {

using os::ErrorKind;
using os::Fail;
using os::Status;

namespace {

// Enough entries that the directory needs a block of its own on xfs (not
// short form inside the inode).
constexpr int kEntries = 64;

os::Result<scratch::BlockLocation> MapXfsDirectory(const scratch::ScratchFs& fs,
                                                   std::uint64_t inode) {
  EOFZERO_ASSIGN_OR_RETURN(auto b, scratch::LocateXfsBlockOffline(fs.device(), inode, 0));
  if (!b.byte_offset || !b.extent || b.extent->file_block != 0)
    return Fail(ErrorKind::kVerification, "xfs_db maps no first block for the directory");
  const os::Extent extent{0, *b.byte_offset, b.extent->count * b.block_size, 0};
  return scratch::BlockLocation{*b.byte_offset, b.block_size, extent};
}

}  // namespace

Status Interpreter::CorruptDirectory() {
  const std::string dir = PathOf("fsck_control");
  EOFZERO_RETURN_IF_ERROR(os::MakeDirectory(dir));
  for (int i = 0; i < kEntries; ++i) {
    const std::string entry = dir + "/an_entry_with_a_long_enough_name_" + std::to_string(i);
    EOFZERO_RETURN_IF_ERROR(os::OpenFile(entry, O_WRONLY | O_CREAT));
  }
  std::optional<scratch::BlockLocation> where;
  std::uint64_t inode = 0;
  {
    EOFZERO_ASSIGN_OR_RETURN(os::UniqueFd fd, os::OpenFile(dir, O_RDONLY | O_DIRECTORY));
    EOFZERO_RETURN_IF_ERROR(os::Fsync(fd.get(), dir));
    EOFZERO_ASSIGN_OR_RETURN(os::FileStat st, os::StatFile(fd.get(), dir));
    inode = st.inode;
    if (fs_.spec().fs == scratch::FsType::kExt4) {
      EOFZERO_ASSIGN_OR_RETURN(auto extents,
                               os::MapExtents(fd.get(), 0, bs_, os::FiemapSync::kYes, dir));
      EOFZERO_ASSIGN_OR_RETURN(auto geometry, os::ProbeGeometry(fs_.device()));
      auto located = scratch::LocateBlockForPlant(extents, 0, bs_, geometry.size);
      if (!located) return Fail(ErrorKind::kVerification, "directory block: " + located.error());
      where = *located;
    }
  }
  CloseAll();
  EOFZERO_RETURN_IF_ERROR(fs_.Unmount());
  if (!where) {
    EOFZERO_ASSIGN_OR_RETURN(where, MapXfsDirectory(fs_, inode));
  }
  const Bytes sentinel = SentinelBlock(bs_);
  EOFZERO_RETURN_IF_ERROR(
      scratch::WriteInsideExtent(fs_, *where, where->device_offset, sentinel));
  EOFZERO_ASSIGN_OR_RETURN(Bytes back, scratch::ReadDeviceRange(fs_, where->device_offset, bs_));
  if (back != sentinel)
    return Fail(ErrorKind::kVerification, "the directory block does not hold the sentinel");
  run_.notes.push_back("fault: directory " + dir + " block at device offset " +
                       std::to_string(where->device_offset) + " overwritten with the sentinel");
  return fs_.Mount();
}

}  // namespace eofzero::engine
