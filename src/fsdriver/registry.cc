#include "fsdriver/registry.h"

#include "fsdriver/btrfs.h"
#include "fsdriver/ext4.h"
#include "fsdriver/f2fs.h"
#include "fsdriver/xfs.h"

namespace eofzero::fsdriver {

const FsDriver& Driver(FsType fs) {
  static const Ext4Driver ext4;
  static const XfsDriver xfs;
  static const BtrfsDriver btrfs;
  static const F2fsDriver f2fs;
  switch (fs) {
    case FsType::kExt4:
      return ext4;
    case FsType::kXfs:
      return xfs;
    case FsType::kBtrfs:
      return btrfs;
    case FsType::kF2fs:
      return f2fs;
  }
  return ext4;
}

std::string_view FsTypeName(FsType fs) { return Driver(fs).Name(); }

std::optional<FsType> ParseFsType(std::string_view name) {
  for (FsType fs : kFsTypes)
    if (Driver(fs).Name() == name) return fs;
  return std::nullopt;
}

std::string FsTypeNames(std::string_view separator) {
  std::string out;
  for (FsType fs : kFsTypes)
    out += (out.empty() ? "" : std::string(separator)) + std::string(Driver(fs).Name());
  return out;
}

std::string FsTypeChoices() {
  std::string out;
  const std::size_t n = std::size(kFsTypes);
  for (std::size_t i = 0; i < n; ++i)
    out += std::string(i == 0 ? "" : i + 1 == n ? " or " : ", ") +
           std::string(Driver(kFsTypes[i]).Name());
  return out;
}

std::vector<FsType> DefaultFsTypes() { return {FsType::kExt4, FsType::kXfs}; }

std::vector<std::string> DefaultFsNames() {
  std::vector<std::string> out;
  for (FsType fs : DefaultFsTypes()) out.emplace_back(FsTypeName(fs));
  return out;
}

os::Result<std::vector<os::Extent>> FsDriver::DeviceExtents(os::System& system,
                                                            const std::string& device,
                                                            std::vector<os::Extent> extents) const {
  constexpr std::uint32_t kNoAddress =
      os::extent_flag::kDelalloc | os::extent_flag::kUnknown | os::extent_flag::kDataInline;
  for (auto& e : extents) {
    if (e.flags & kNoAddress) continue;
    EOFZERO_ASSIGN_OR_RETURN(e, DeviceExtent(system, device, e));
  }
  return extents;
}

std::string FsDriver::FsckCommandText() const {
  auto argv = FsckArgv("", FsckSource::kDevice);
  std::string out;
  for (std::size_t i = 0; i + 1 < argv.size(); ++i) out += (i ? " " : "") + argv[i];
  return out;
}

}  // namespace eofzero::fsdriver
