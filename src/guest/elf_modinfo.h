// A kernel module's .modinfo section, read from its ELF file (pure over the
// bytes).
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace eofzero::guest {

// The bytes of the ".modinfo" section of a 64-bit little-endian ELF file,
// or why there is none.
std::expected<std::string, std::string> ModinfoSection(std::string_view elf);

}  // namespace eofzero::guest
