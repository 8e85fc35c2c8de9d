#include "os/fiemap.h"

#include <linux/fiemap.h>
#include <linux/fs.h>
#include <sys/ioctl.h>

#include <cstdio>
#include <vector>

namespace eofzero::os {

static_assert(extent_flag::kLast == FIEMAP_EXTENT_LAST);
static_assert(extent_flag::kUnknown == FIEMAP_EXTENT_UNKNOWN);
static_assert(extent_flag::kDelalloc == FIEMAP_EXTENT_DELALLOC);
static_assert(extent_flag::kEncoded == FIEMAP_EXTENT_ENCODED);
static_assert(extent_flag::kDataEncrypted == FIEMAP_EXTENT_DATA_ENCRYPTED);
static_assert(extent_flag::kNotAligned == FIEMAP_EXTENT_NOT_ALIGNED);
static_assert(extent_flag::kDataInline == FIEMAP_EXTENT_DATA_INLINE);
static_assert(extent_flag::kDataTail == FIEMAP_EXTENT_DATA_TAIL);
static_assert(extent_flag::kUnwritten == FIEMAP_EXTENT_UNWRITTEN);
static_assert(extent_flag::kMerged == FIEMAP_EXTENT_MERGED);
static_assert(extent_flag::kShared == FIEMAP_EXTENT_SHARED);

std::string ExtentFlagNames(std::uint32_t flags) {
  static constexpr struct {
    std::uint32_t bit;
    const char* name;
  } kNames[] = {
      {extent_flag::kLast, "LAST"},
      {extent_flag::kUnknown, "UNKNOWN"},
      {extent_flag::kDelalloc, "DELALLOC"},
      {extent_flag::kEncoded, "ENCODED"},
      {extent_flag::kDataEncrypted, "DATA_ENCRYPTED"},
      {extent_flag::kNotAligned, "NOT_ALIGNED"},
      {extent_flag::kDataInline, "DATA_INLINE"},
      {extent_flag::kDataTail, "DATA_TAIL"},
      {extent_flag::kUnwritten, "UNWRITTEN"},
      {extent_flag::kMerged, "MERGED"},
      {extent_flag::kShared, "SHARED"},
  };
  std::string out;
  for (const auto& n : kNames) {
    if (!(flags & n.bit)) continue;
    if (!out.empty()) out += '|';
    out += n.name;
    flags &= ~n.bit;
  }
  if (flags != 0) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%x", flags);
    if (!out.empty()) out += '|';
    out += hex;
  }
  return out.empty() ? "none" : out;
}

Result<bool> IsRealtimeFile(int fd, const std::string& what) {
  fsxattr attr{};
  if (::ioctl(fd, FS_IOC_FSGETXATTR, &attr) < 0) {
    if (errno == ENOTTY || errno == EOPNOTSUPP) return false;
    return FailErrno("FS_IOC_FSGETXATTR " + what);
  }
  return (attr.fsx_xflags & FS_XFLAG_REALTIME) != 0;
}

Result<std::vector<Extent>> MapExtents(int fd, std::uint64_t start, std::uint64_t length,
                                       FiemapSync sync, const std::string& what) {
  constexpr unsigned kMaxExtents = 64;
  std::vector<std::uint8_t> storage(sizeof(fiemap) + kMaxExtents * sizeof(fiemap_extent));
  auto* fm = reinterpret_cast<fiemap*>(storage.data());
  fm->fm_start = start;
  fm->fm_length = length;
  fm->fm_flags = sync == FiemapSync::kYes ? FIEMAP_FLAG_SYNC : 0;
  fm->fm_extent_count = kMaxExtents;
  if (::ioctl(fd, FS_IOC_FIEMAP, fm) < 0) return FailErrno("FIEMAP " + what);
  std::vector<Extent> out;
  out.reserve(fm->fm_mapped_extents);
  for (unsigned i = 0; i < fm->fm_mapped_extents; ++i) {
    const fiemap_extent& fe = fm->fm_extents[i];
    out.push_back({fe.fe_logical, fe.fe_physical, fe.fe_length, fe.fe_flags});
  }
  return out;
}

}  // namespace eofzero::os
