// The gap oracle (pure): are the bytes of [old EOF, block end) all zero?
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/observations.h"
#include "os/bytes.h"

namespace eofzero::oracles {

// What the gap oracle made of one byte of the block.
enum class GapByte {
  kClean,     // zero, the case's own data, or outside what was judged
  kSentinel,  // non-zero and equal to the planted sentinel's byte there
  kOther,     // non-zero, neither the sentinel nor the case's own data
};

struct GapFinding {
  ByteRange gap;                         // the gap, relative to the block start
  std::uint64_t bytes_examined = 0;      // gap bytes the view actually held
  std::vector<ByteRange> dirty;          // maximal runs of non-zero bytes, block-relative
  std::uint64_t nonzero = 0;             // non-zero bytes in the gap
  std::uint64_t sentinel = 0;            // of those, bytes equal to the planted sentinel
  std::vector<ByteRange> sentinel_runs;  // maximal runs of those sentinel bytes, block-relative

  // The class of the block byte at `offset`, as CheckGap judged it (the
  // evidence marks bytes by this, never by looking at them again).
  GapByte ByteAt(std::uint64_t offset) const;

  bool clean() const { return nonzero == 0; }
  // True when the view held no byte of the gap (e.g. a read that stopped at EOF).
  bool blind() const { return bytes_examined == 0; }
};

// Examines block[gap.begin, min(gap.end, block.size())): every byte must be
// zero, or, inside a range in `written`, the data the case wrote there. Bytes
// the view does not hold are not judged (bytes_examined says how many were).
GapFinding CheckGap(ByteView block, ByteRange gap,
                    std::span<const engine::WrittenRange> written = {});

}  // namespace eofzero::oracles
