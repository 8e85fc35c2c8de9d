// The xfs offline oracle: where one block of a file lives on the device and
// how big the file is, as the on-disk metadata says, read by xfs_db with the
// filesystem unmounted (no kernel involved). The caller passes the inode
// number (stat's st_ino), which xfs_db takes directly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "fsdriver/xfs_db_parse.h"
#include "os/error.h"
#include "os/system.h"

namespace eofzero::fsdriver {

struct XfsOfflineBlock {
  std::uint64_t inode = 0;
  std::uint64_t size = 0;  // core.size: the on-disk file size
  std::uint32_t block_size = 0;
  std::uint64_t block_index = 0;
  // Device byte offset of the block; nullopt for a hole.
  std::optional<std::uint64_t> byte_offset;
  bool unwritten = false;  // allocated, reads as zeros through the kernel
  std::optional<XfsBmapExtent> extent;
};

// Runs xfs_db once (geometry, then the inode) on `device`, which must hold an
// unmounted xfs. Errors: kUnsupported when xfs_db is missing; kChild when it
// fails or its output does not parse (including a bad inode number).
os::Result<XfsOfflineBlock> LocateXfsBlockOffline(os::System& system, const std::string& device,
                                                  std::uint64_t inode, std::uint64_t block_index);

}  // namespace eofzero::fsdriver
