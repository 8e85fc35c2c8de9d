// Hexdump rendering with marked bytes (pure).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "os/bytes.h"

namespace eofzero::report {

// Returns the mark for the byte at `offset` (relative to the buffer): ' ' for
// none, or a character drawn twice under the byte ("^^").
using MarkFn = std::function<char(std::uint64_t offset)>;

struct HexdumpOptions {
  std::uint64_t display_base = 0;  // added to offsets in the left column
  ByteRange focus;                 // lines intersecting this range are shown (+1 line before)
  std::size_t max_lines = 16;      // beyond this, the middle is elided
  std::string indent;
};

// Lines of "OFFSET  xx xx ... xx  |ascii|", each followed by a marker line
// when any of its bytes is marked.
std::string RenderHexdump(ByteView bytes, const HexdumpOptions& options, const MarkFn& mark);

}  // namespace eofzero::report
