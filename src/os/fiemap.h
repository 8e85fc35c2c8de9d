// FIEMAP: the file's logical-to-physical extent map, as the kernel reports it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "os/error.h"

namespace eofzero::os {

// fe_flags, with the kernel's values (checked against <linux/fiemap.h> in fiemap.cc).
namespace extent_flag {
inline constexpr std::uint32_t kLast = 0x1;
inline constexpr std::uint32_t kUnknown = 0x2;
inline constexpr std::uint32_t kDelalloc = 0x4;
inline constexpr std::uint32_t kEncoded = 0x8;
inline constexpr std::uint32_t kDataEncrypted = 0x80;
inline constexpr std::uint32_t kNotAligned = 0x100;
inline constexpr std::uint32_t kDataInline = 0x200;
inline constexpr std::uint32_t kDataTail = 0x400;
inline constexpr std::uint32_t kUnwritten = 0x800;
inline constexpr std::uint32_t kMerged = 0x1000;
inline constexpr std::uint32_t kShared = 0x2000;
}  // namespace extent_flag

struct Extent {
  std::uint64_t logical = 0;   // byte offset in the file
  std::uint64_t physical = 0;  // byte offset on the device (ext4, xfs)
  std::uint64_t length = 0;    // bytes
  std::uint32_t flags = 0;
  bool operator==(const Extent&) const = default;
};

// "LAST|UNWRITTEN" style names for fe_flags; unknown bits as hex.
std::string ExtentFlagNames(std::uint32_t flags);

enum class FiemapSync { kNo, kYes };

// True when the file's data lives on a realtime device (FS_XFLAG_REALTIME,
// xfs): then FIEMAP's physical addresses are not offsets on the data device.
Result<bool> IsRealtimeFile(int fd, const std::string& what);

// FS_IOC_FIEMAP over [start, start + length). kYes sets FIEMAP_FLAG_SYNC, which
// writes the file back first: never use it between an extension and a crash.
Result<std::vector<Extent>> MapExtents(int fd, std::uint64_t start, std::uint64_t length,
                                       FiemapSync sync, const std::string& what);

}  // namespace eofzero::os
