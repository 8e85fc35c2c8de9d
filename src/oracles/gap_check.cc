#include "oracles/gap_check.h"

#include <algorithm>

#include "engine/sentinel.h"

namespace eofzero::oracles {
namespace {

// Extends the last run when `i` follows it, else starts a new one.
void AddToRuns(std::vector<ByteRange>& runs, std::uint64_t i) {
  if (!runs.empty() && runs.back().end == i) {
    runs.back().end = i + 1;
  } else {
    runs.push_back({i, i + 1});
  }
}

bool InAny(const std::vector<ByteRange>& runs, std::uint64_t offset) {
  return std::any_of(runs.begin(), runs.end(),
                     [&](const ByteRange& r) { return r.Contains(offset); });
}

}  // namespace

GapByte GapFinding::ByteAt(std::uint64_t offset) const {
  if (!InAny(dirty, offset)) return GapByte::kClean;
  return InAny(sentinel_runs, offset) ? GapByte::kSentinel : GapByte::kOther;
}

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
    if (engine::IsSentinelByte(i, block[i])) {
      ++f.sentinel;
      AddToRuns(f.sentinel_runs, i);
    }
    AddToRuns(f.dirty, i);
  }
  return f;
}

}  // namespace eofzero::oracles
