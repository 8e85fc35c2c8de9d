#include "os/ext4_offline.h"

extern "C" {  // com_err.h has no C++ guards
#include <et/com_err.h>
}
#include <ext2fs/ext2fs.h>

#include <algorithm>
#include <memory>
#include <mutex>

namespace eofzero::os {
namespace {

// libext2fs returns errno values or com_err codes; both have a message.
std::unexpected<Error> Ext2Fail(errcode_t code, const std::string& context) {
  int errnum = code > 0 && code < 4096 ? static_cast<int>(code) : 0;
  ErrorKind kind = errnum ? ErrnoError("", errnum).kind : ErrorKind::kSystem;
  std::string message = errnum ? context : context + ": " + error_message(code);
  return std::unexpected(Error{kind, errnum, std::move(message)});
}

// Closes the filesystem handle (read-only: nothing is flushed).
struct Ext2Closer {
  void operator()(ext2_filsys fs) const { ext2fs_close_free(&fs); }
};
using Ext2Handle = std::unique_ptr<struct struct_ext2_filsys, Ext2Closer>;

Result<Ext2Handle> OpenReadOnly(const std::string& device) {
  static std::once_flag errors_registered;
  std::call_once(errors_registered, [] { initialize_ext2_error_table(); });
  ext2_filsys fs = nullptr;
  errcode_t rc = ext2fs_open2(device.c_str(), nullptr, EXT2_FLAG_64BITS | EXT2_FLAG_EXCLUSIVE, 0, 0,
                              unix_io_manager, &fs);
  if (rc) return Ext2Fail(rc, "ext2fs_open " + device);
  Ext2Handle handle(fs);
  if (fs->super->s_feature_incompat & EXT3_FEATURE_INCOMPAT_RECOVER) {
    return Fail(ErrorKind::kNeedsJournalReplay,
                "ext4 offline read of " + device +
                    ": the journal needs replaying (needs_recovery is set); mount and unmount "
                    "it first");
  }
  return handle;
}

Status ReadInline(ext2_filsys fs, ext2_ino_t ino, ext2_inode* inode, OfflineFileView& view,
                  const std::string& what) {
  std::size_t size = 0;
  if (errcode_t rc = ext2fs_inline_data_size(fs, ino, &size)) {
    return Ext2Fail(rc, "inline data size of " + what);
  }
  Bytes all(std::max<std::size_t>(size, 1));
  if (errcode_t rc = ext2fs_inline_data_get(fs, ino, inode, all.data(), &size)) {
    return Ext2Fail(rc, "inline data of " + what);
  }
  all.resize(size);
  std::uint64_t begin = std::min<std::uint64_t>(view.block_index * view.block_size, size);
  std::uint64_t end = std::min<std::uint64_t>(begin + view.block_size, size);
  view.bytes.assign(all.begin() + begin, all.begin() + end);
  return {};
}

}  // namespace

Result<OfflineFileView> ReadExt4FileOffline(const std::string& device,
                                            const std::string& path_in_fs,
                                            std::uint64_t block_index) {
  const std::string what = device + ":" + path_in_fs;
  EOFZERO_ASSIGN_OR_RETURN(auto handle, OpenReadOnly(device));
  ext2_filsys fs = handle.get();

  ext2_ino_t ino = 0;
  if (errcode_t rc = ext2fs_namei(fs, EXT2_ROOT_INO, EXT2_ROOT_INO, path_in_fs.c_str(), &ino)) {
    return Ext2Fail(rc, "ext2fs_namei " + what);
  }
  ext2_inode inode{};
  if (errcode_t rc = ext2fs_read_inode(fs, ino, &inode)) {
    return Ext2Fail(rc, "ext2fs_read_inode " + what);
  }
  if (!LINUX_S_ISREG(inode.i_mode)) {
    return Fail(ErrorKind::kInvalid, "ext4 offline read of " + what + ": not a regular file");
  }

  OfflineFileView view;
  view.inode = ino;
  view.size = EXT2_I_SIZE(&inode);
  view.block_size = fs->blocksize;
  view.block_index = block_index;
  if (inode.i_flags & EXT4_INLINE_DATA_FL) {
    view.inline_data = true;
    EOFZERO_RETURN_IF_ERROR(ReadInline(fs, ino, &inode, view, what));
    return view;
  }

  int flags = 0;
  blk64_t physical = 0;
  if (errcode_t rc = ext2fs_bmap2(fs, ino, &inode, nullptr, 0, block_index, &flags, &physical)) {
    return Ext2Fail(rc, "ext2fs_bmap2 " + what + " block " + std::to_string(block_index));
  }
  view.physical_block = physical;
  view.unwritten = (flags & BMAP_RET_UNINIT) != 0;
  view.bytes.assign(fs->blocksize, 0);
  if (physical == 0) {
    view.hole = true;
    return view;
  }
  if (errcode_t rc = io_channel_read_blk64(fs->io, physical, 1, view.bytes.data())) {
    return Ext2Fail(rc, "read block " + std::to_string(physical) + " of " + what);
  }
  return view;
}

}  // namespace eofzero::os
