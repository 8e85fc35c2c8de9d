#include "engine/sentinel.h"

#include <string_view>

namespace eofzero::engine {
namespace {
constexpr std::string_view kPattern = "EOFZERO-SENTINEL";
}

Bytes SentinelBlock(std::uint64_t size) {
  Bytes out(size);
  for (std::uint64_t i = 0; i < size; ++i)
    out[i] = static_cast<std::uint8_t>(kPattern[i % kPattern.size()]);
  return out;
}

bool IsSentinelByte(std::uint64_t offset_in_block, std::uint8_t value) {
  return value == static_cast<std::uint8_t>(kPattern[offset_in_block % kPattern.size()]);
}

}  // namespace eofzero::engine
