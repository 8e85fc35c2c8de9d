// Pure parsing of xfs_db output: the filesystem geometry (`sb 0`, `print
// agblocks agblklog blocksize`) and one inode's size and data-fork block map
// (`inode N`, `print core.size`, `bmap`). No I/O; tested over recorded outputs
// in fixtures/xfs_db.
//
// xfs block numbers in bmap output are fsblock numbers,
// (agno << agblklog) | agbno, not linear block numbers: an allocation group
// holds agblocks blocks, which need not be a power of two. The device byte
// offset of an fsblock is (agno * agblocks + agbno) * blocksize.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "os/error.h"

namespace eofzero::fsdriver {

struct XfsGeometry {
  std::uint64_t agblocks = 0;  // blocks per allocation group
  std::uint32_t agblklog = 0;  // bits of agbno inside an fsblock number
  std::uint32_t blocksize = 0;
  bool operator==(const XfsGeometry&) const = default;
};

// One line of `bmap`: "data offset 0 startblock 32778 (1/10) count 3 flag 0".
struct XfsBmapExtent {
  std::uint64_t file_block = 0;  // first block of the file it maps
  std::uint64_t startblock = 0;  // fsblock number
  std::uint64_t agno = 0;        // from the "(agno/agbno)" pair
  std::uint64_t agbno = 0;
  std::uint64_t count = 0;  // blocks
  bool unwritten = false;   // flag 1: allocated but reads as zeros
  bool operator==(const XfsBmapExtent&) const = default;
};

struct XfsInodeMap {
  std::uint64_t size = 0;  // core.size, bytes
  std::vector<XfsBmapExtent> extents;
};

// Errors are ErrorKind::kChild with the offending line in the context.
os::Result<XfsGeometry> ParseXfsGeometry(std::string_view xfs_db_stdout);
os::Result<XfsInodeMap> ParseXfsInodeMap(std::string_view xfs_db_stdout);

// The output of one run that asks for the geometry and then an inode's map
// (one xfs_db start instead of two: a guest under TCG pays ~0.1 s for each),
// cut after the geometry's last field ("blocksize = "): {geometry, map}.
// Without that line the geometry is all of it (and incomplete).
std::pair<std::string_view, std::string_view> SplitXfsGeometry(std::string_view xfs_db_stdout);

// Device byte offset of block `agbno` of AG `agno`, after checking that the
// pair agrees with `startblock` and lies inside its AG (kChild otherwise).
os::Result<std::uint64_t> XfsExtentByteOffset(const XfsGeometry& geo, const XfsBmapExtent& e);

// The extent mapping file block `file_block`, or nullopt for a hole.
std::optional<XfsBmapExtent> FindXfsExtent(const XfsInodeMap& map, std::uint64_t file_block);

}  // namespace eofzero::fsdriver
