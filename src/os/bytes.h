// Plain byte containers shared by every layer.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace eofzero {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// A half-open byte range [begin, end).
struct ByteRange {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
  std::uint64_t size() const { return end > begin ? end - begin : 0; }
  bool Contains(std::uint64_t off) const { return off >= begin && off < end; }
  bool operator==(const ByteRange&) const = default;
};

// `v` rounded up to a multiple of `unit` (> 0).
constexpr std::uint64_t RoundUp(std::uint64_t v, std::uint64_t unit) {
  return (v + unit - 1) / unit * unit;
}

}  // namespace eofzero
