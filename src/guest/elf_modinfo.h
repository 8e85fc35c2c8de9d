// A kernel module's .modinfo section, and whether a program is statically
// linked, read from their ELF files (pure over the bytes).
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace eofzero::guest {

// The bytes of the ".modinfo" section of a 64-bit little-endian ELF file,
// or why there is none.
std::expected<std::string, std::string> ModinfoSection(std::string_view elf);

// Whether a 64-bit little-endian ELF executable asks for a program
// interpreter (PT_INTERP: it is dynamically linked), or why that cannot be
// read.
std::expected<bool, std::string> ElfHasInterpreter(std::string_view elf);

}  // namespace eofzero::guest
