#include "scratch/plant_target.h"

namespace eofzero::scratch {
namespace {

constexpr std::uint32_t kRefusedFlags =
    os::extent_flag::kDelalloc | os::extent_flag::kUnknown | os::extent_flag::kDataInline |
    os::extent_flag::kNotAligned | os::extent_flag::kEncoded | os::extent_flag::kDataEncrypted |
    os::extent_flag::kShared | os::extent_flag::kUnwritten;

std::string Describe(const os::Extent& e) {
  return "extent logical " + std::to_string(e.logical) + " physical " + std::to_string(e.physical) +
         " length " + std::to_string(e.length) + " flags " + os::ExtentFlagNames(e.flags);
}

}  // namespace

std::expected<BlockLocation, std::string> LocateBlockForPlant(std::span<const os::Extent> extents,
                                                              std::uint64_t file_offset,
                                                              std::uint32_t block_size,
                                                              std::uint64_t device_size) {
  const os::Extent* found = nullptr;
  for (const auto& e : extents) {
    if (file_offset >= e.logical && file_offset < e.logical + e.length) {
      found = &e;
      break;
    }
  }
  if (!found)
    return std::unexpected("file offset " + std::to_string(file_offset) +
                           " is a hole: FIEMAP maps no extent there");
  if (found->flags & kRefusedFlags)
    return std::unexpected("cannot plant into " + Describe(*found) + ": " +
                           os::ExtentFlagNames(found->flags & kRefusedFlags) +
                           " extents have no stable, exposed device block");
  BlockLocation where{found->physical + (file_offset - found->logical), block_size, *found};
  if (where.device_offset % block_size != 0)
    return std::unexpected("device offset " + std::to_string(where.device_offset) +
                           " is not aligned to the block size " + std::to_string(block_size) +
                           " (" + Describe(*found) + ")");
  if (!InsideMappedExtent(where, where.device_offset, block_size, device_size))
    return std::unexpected("block at device offset " + std::to_string(where.device_offset) +
                           " is not inside both its extent and the device (size " +
                           std::to_string(device_size) + "; " + Describe(*found) + ")");
  return where;
}

bool InsideMappedExtent(const BlockLocation& where, std::uint64_t offset, std::uint64_t length,
                        std::uint64_t device_size) {
  const std::uint64_t extent_end = where.extent.physical + where.extent.length;
  const std::uint64_t end = offset + length;
  if (length == 0 || end < offset) return false;
  return offset >= where.extent.physical && end <= extent_end && end <= device_size;
}

}  // namespace eofzero::scratch
