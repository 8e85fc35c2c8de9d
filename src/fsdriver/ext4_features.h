// Filesystem feature facts read from the filesystem's own tools (pure parsing).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eofzero::fsdriver {

// The words of the "Filesystem features:" line of `dumpe2fs -h`; nullopt
// when the output has no such line.
std::optional<std::vector<std::string>> ParseExt4Features(std::string_view dumpe2fs_output);

}  // namespace eofzero::fsdriver
