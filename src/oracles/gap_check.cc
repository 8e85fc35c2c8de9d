#include "oracles/gap_check.h"

#include <algorithm>

#include "engine/sentinel.h"

namespace eofzero::oracles {

GapFinding CheckGap(ByteView block, ByteRange gap, std::span<const engine::WrittenRange> written) {
  GapFinding f;
  f.gap = gap;
  const std::uint64_t end = std::min<std::uint64_t>(gap.end, block.size());
  for (std::uint64_t i = gap.begin; i < end; ++i) {
    ++f.bytes_examined;
    if (block[i] == 0) continue;
    if (std::any_of(written.begin(), written.end(), [&](const engine::WrittenRange& w) {
          return w.range.Contains(i) && w.data[i - w.range.begin] == block[i];
        }))
      continue;
    ++f.nonzero;
    if (engine::IsSentinelByte(i, block[i])) ++f.sentinel;
    if (!f.dirty.empty() && f.dirty.back().end == i) {
      f.dirty.back().end = i + 1;
    } else {
      f.dirty.push_back({i, i + 1});
    }
  }
  return f;
}

}  // namespace eofzero::oracles
