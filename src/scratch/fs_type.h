// The filesystems eofzero can build and test. btrfs is deliberately absent:
// its FIEMAP physical addresses are not device offsets and it lacks shutdown.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace eofzero::scratch {

enum class FsType { kExt4, kXfs };
inline constexpr FsType kFsTypes[] = {FsType::kExt4, FsType::kXfs};

std::string_view FsTypeName(FsType fs);
std::optional<FsType> ParseFsType(std::string_view name);

}  // namespace eofzero::scratch
