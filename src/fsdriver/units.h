// Small readings and writings the drivers share (pure).
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace eofzero::fsdriver {

// Splits an option string on blanks, as fstests splits MKFS_OPTIONS.
std::vector<std::string> SplitWords(std::string_view text);

// A tool's output as its lines (views into `text`, without the newline and a
// carriage return before it); no last empty line for a final newline.
std::vector<std::string_view> SplitLines(std::string_view text);

// "4096", "4k" -> bytes; nullopt when it is neither.
std::optional<std::uint64_t> ParseBlockSizeValue(std::string_view text);

// A block size read from an option written as `shown`: refused (one line)
// when it is unreadable or not a power of two from 1024 to 65536.
std::expected<std::uint32_t, std::string> CheckedBlockSize(std::optional<std::uint64_t> v,
                                                           const std::string& shown);

// "512M", "300M", "8M", "104K" or "12345" (bytes), for messages.
std::string SizeText(std::uint64_t bytes);

}  // namespace eofzero::fsdriver
