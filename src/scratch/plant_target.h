// Where on the device a file block lives, and whether the tool may write there
// (pure; tested over recorded extent lists).
#pragma once

#include <cstdint>
#include <expected>
#include <span>
#include <string>

#include "os/fiemap.h"

namespace eofzero::scratch {

struct BlockLocation {
  std::uint64_t device_offset = 0;  // byte offset of the block on the device
  std::uint64_t length = 0;         // one filesystem block
  os::Extent extent;                // the FIEMAP extent that maps it
};

// Finds the extent mapping file block [file_offset, file_offset + block_size)
// and returns its device location. Refuses (with a reason fit for a skip
// message) anything the tool cannot safely plant into or read back as file
// data: a hole; DELALLOC, UNKNOWN, DATA_INLINE, NOT_ALIGNED, ENCODED,
// DATA_ENCRYPTED, SHARED or UNWRITTEN extents; a block not wholly inside its
// extent; a device offset not aligned to the block size; a block past the
// device end. file_offset must be a multiple of block_size.
std::expected<BlockLocation, std::string> LocateBlockForPlant(std::span<const os::Extent> extents,
                                                              std::uint64_t file_offset,
                                                              std::uint32_t block_size,
                                                              std::uint64_t device_size);

// True when [offset, offset + length) lies inside the location's extent and
// inside the device: the bounds a raw write must respect.
bool InsideMappedExtent(const BlockLocation& where, std::uint64_t offset, std::uint64_t length,
                        std::uint64_t device_size);

}  // namespace eofzero::scratch
