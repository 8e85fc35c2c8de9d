// The sentinel planted past EOF: the 16 ASCII bytes "EOFZERO-SENTINEL"
// repeated, anchored at the start of the block, so a hexdump shows it plainly
// and every byte's expected value follows from its offset in the block.
#pragma once

#include <cstdint>

#include "os/bytes.h"

namespace eofzero::engine {

Bytes SentinelBlock(std::uint64_t size);
// True when `value` is what the sentinel holds at `offset_in_block`.
bool IsSentinelByte(std::uint64_t offset_in_block, std::uint8_t value);

}  // namespace eofzero::engine
