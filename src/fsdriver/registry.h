// The filesystems eofzero can build and test, and their drivers: the one
// table every layer reads (a filesystem is added here and in its driver pair,
// docs/filesystems.md, "Adding a filesystem").
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fsdriver/driver.h"

namespace eofzero::fsdriver {

enum class FsType { kExt4, kXfs, kBtrfs, kF2fs };
inline constexpr FsType kFsTypes[] = {FsType::kExt4, FsType::kXfs, FsType::kBtrfs,
                                      FsType::kF2fs};
// The value a FsType member starts with before anything sets it.
inline constexpr FsType kInitialFsType = FsType::kExt4;

const FsDriver& Driver(FsType fs);

std::string_view FsTypeName(FsType fs);
std::optional<FsType> ParseFsType(std::string_view name);
// "ext4, xfs" (with `separator`): every name ParseFsType takes, for
// messages and help; "ext4 or xfs": the same as a choice.
std::string FsTypeNames(std::string_view separator = ", ");
std::string FsTypeChoices();
// The filesystems a run tests when not told (--fs, FSTYP, a case's `fs`).
std::vector<FsType> DefaultFsTypes();
std::vector<std::string> DefaultFsNames();  // theirs, as --fs takes them

}  // namespace eofzero::fsdriver
