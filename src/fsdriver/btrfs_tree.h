// Pure parsing of `btrfs inspect-internal dump-tree` output (btrfs-progs
// 6.2): the chunk tree (-t chunk), which maps btrfs's logical addresses —
// what FIEMAP reports as "physical" on btrfs — to device offsets, and one
// inode's size and file extents from the filesystem tree (-t 5). No I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "os/error.h"

namespace eofzero::fsdriver {

struct BtrfsStripe {
  std::uint64_t devid = 0;
  std::uint64_t offset = 0;  // byte offset on that device
};

// "item 1 key (FIRST_CHUNK_TREE CHUNK_ITEM 13631488) ... length 8388608 ...
// type DATA|single ... stripe 0 devid 1 offset 13631488".
struct BtrfsChunk {
  std::uint64_t logical = 0;  // the key's offset: the chunk's first logical byte
  std::uint64_t length = 0;
  std::string type;  // "DATA|single", "METADATA|DUP", ...
  std::vector<BtrfsStripe> stripes;
};

// One EXTENT_DATA item of an inode.
struct BtrfsFileExtent {
  std::uint64_t file_offset = 0;  // the key's offset
  std::string type;               // "regular", "prealloc", "inline"
  std::uint64_t disk_bytenr = 0;  // 0: a hole
  std::uint64_t offset = 0;       // into the disk extent
  std::uint64_t length = 0;       // bytes of the file it maps ("offset O nr N")
  std::uint64_t compression = 0;  // 0: none
};

struct BtrfsInode {
  std::uint64_t size = 0;
  std::vector<BtrfsFileExtent> extents;
};

// Errors are kChild with the offending line.
os::Result<std::vector<BtrfsChunk>> ParseBtrfsChunks(std::string_view dump_tree);
// kChild when the inode has no INODE_ITEM in the dump.
os::Result<BtrfsInode> ParseBtrfsInode(std::string_view dump_tree, std::uint64_t inode);

// The device offset of logical byte `logical` and how many bytes from there
// the chunk holds contiguously on the device. kUnsupported, with the reason,
// outside every chunk or in a chunk the tool must not write into: not DATA,
// or with more than one stripe (DUP, RAID: the plant would change one copy).
os::Result<std::pair<std::uint64_t, std::uint64_t>> MapBtrfsLogical(
    const std::vector<BtrfsChunk>& chunks, std::uint64_t logical);

// The extent that maps file byte `offset`, or nullopt for a hole.
std::optional<BtrfsFileExtent> FindBtrfsExtent(const BtrfsInode& inode, std::uint64_t offset);

}  // namespace eofzero::fsdriver
