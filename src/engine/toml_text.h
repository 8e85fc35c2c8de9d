// TOML text as eofzero's files are read (case files and matrix files), with
// errors as "FILE:LINE: message". toml++ follows a dotted key or table
// header one level of recursion per dot, so a key nested tens of thousands
// deep would overflow the stack: a key or header with more than kMaxKeyDepth
// parts is refused before toml++ sees it.
#pragma once

#include <toml++/toml.h>

#include <cstddef>
#include <expected>
#include <string>

namespace eofzero::engine {

inline constexpr std::size_t kMaxKeyDepth = 32;

std::expected<toml::table, std::string> ParseTomlText(const std::string& text,
                                                      const std::string& file);

}  // namespace eofzero::engine
