// The ext4 offline oracle: one block of a file and the file's size as the
// on-disk metadata says, read through libext2fs with no kernel filesystem
// involved. The device is opened read-only and exclusively (O_EXCL), so the
// open fails while the filesystem is mounted anywhere.
//
// libext2fs never replays the journal: after a crash, mount and unmount
// first. A device whose superblock still says "needs_recovery" is refused
// with ErrorKind::kNeedsJournalReplay.
#pragma once

#include <cstdint>
#include <string>

#include "os/bytes.h"
#include "os/error.h"

namespace eofzero::os {

struct OfflineFileView {
  std::uint64_t inode = 0;
  std::uint64_t size = 0;  // i_size with the high bits
  std::uint32_t block_size = 0;
  std::uint64_t block_index = 0;
  // Physical block number (ext2fs_bmap2); 0 for a hole or inline data.
  std::uint64_t physical_block = 0;
  bool hole = false;       // no block mapped: `bytes` are zeros
  bool unwritten = false;  // an uninitialized extent: reads as zeros in the kernel
  // The data lives in the inode: `bytes` are the inode's whole inline area
  // (ext2fs_inline_data_size: at least the 60 bytes of i_block), which
  // extends past i_size — those bytes must be zero too. Sliced by block_index.
  bool inline_data = false;
  Bytes bytes;  // the block's bytes, block_size long unless inline

  std::uint64_t PhysicalByteOffset() const { return physical_block * block_size; }
};

// Reads block `block_index` of the regular file at `path_in_fs` ("/dir/f",
// relative to the filesystem's root) on `device`. Errors: kNeedsJournalReplay
// (see above); kInvalid when the path is not a regular file; kSystem for a
// libext2fs failure, with its message (EBUSY: the device is mounted).
Result<OfflineFileView> ReadExt4FileOffline(const std::string& device,
                                            const std::string& path_in_fs,
                                            std::uint64_t block_index);

}  // namespace eofzero::os
