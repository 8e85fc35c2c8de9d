// Pure reading of dump.f2fs's output (f2fs-tools 1.15): one inode as `-i
// INO` prints it (its size, inline flags and the block addresses it holds
// itself), which file block maps where, and the superblock and checkpoint
// that `-d 1` prints, kept without the lines that change from run to run.
// No I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "os/error.h"

namespace eofzero::fsdriver {

// f2fs's block: F2FS_BLKSIZE, whatever the device's sector size.
inline constexpr std::uint32_t kF2fsBlockSize = 4096;

// One inode as `dump.f2fs -i INO` prints it (print_inode_info).
struct F2fsInode {
  std::uint64_t size = 0;         // i_size
  std::uint32_t inline_flags = 0;  // i_inline: F2FS_INLINE_XATTR 0x1, _DATA 0x2, _DENTRY 0x4, ...
  std::uint32_t extra_isize = 0;   // i_extra_isize, when F2FS_EXTRA_ATTR (0x20) is set
  std::optional<std::uint32_t> inline_xattr_size;  // i_inline_xattr_size, when printed
  // i_addr[N] by N, as printed: only the nonzero ones are (an absent N is
  // NULL_ADDR, a hole).
  std::map<std::uint32_t, std::uint32_t> addrs;
};

// kChild when the output is not an inode's ("Node ID [...] is inode" and
// i_size missing: a free or non-inode node id).
os::Result<F2fsInode> ParseF2fsInode(std::string_view out, std::uint64_t inode);

// Where file block `index` is, as the inode alone says.
struct F2fsBlock {
  // The block's address (in f2fs blocks from the device's start), when it
  // holds data of its own.
  std::optional<std::uint32_t> address;
  std::string how;          // "", "hole", "unwritten" (NEW_ADDR), "inline data"
  std::uint64_t run = 0;    // blocks from it on at consecutive addresses
};

// kUnsupported for a block the inode maps through a node block (past its
// own addresses) or a compressed cluster: the reason says which.
os::Result<F2fsBlock> F2fsBlockOf(const F2fsInode& inode, std::uint64_t index);

// The superblock and checkpoint tables of `dump.f2fs -d 1` without the line
// that differs between two runs on the same bytes: its run time ("Done:
// 0.000123 secs").
std::string F2fsMetadataLines(std::string_view out);

}  // namespace eofzero::fsdriver
