#include "scratch/fs_type.h"

namespace eofzero::scratch {

std::string_view FsTypeName(FsType fs) { return fs == FsType::kExt4 ? "ext4" : "xfs"; }

std::optional<FsType> ParseFsType(std::string_view name) {
  if (name == "ext4") return FsType::kExt4;
  if (name == "xfs") return FsType::kXfs;
  return std::nullopt;
}

}  // namespace eofzero::scratch
