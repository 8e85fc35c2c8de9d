#include "engine/history.h"

#include <algorithm>

namespace eofzero::engine {

std::vector<ByteRange> RangesTouched(const History& history, std::uint32_t block_size,
                                     std::uint64_t limit) {
  std::vector<ByteRange> ranges;
  auto add = [&](std::uint64_t b, std::uint64_t e) {
    b = b / block_size * block_size;
    e = (e + block_size - 1) / block_size * block_size;
    if (b < e) ranges.push_back({b, e});
  };
  for (const Event& e : history.events) {
    if (e.kind == Event::Kind::kWrite) add(e.content.offset, e.content.end());
    if (e.kind == Event::Kind::kZero) add(e.begin, e.end);
    for (std::uint64_t s : {e.size_before, e.size_after})
      add(s > block_size ? s - block_size : 0, s + block_size);
  }
  std::sort(ranges.begin(), ranges.end(),
            [](const ByteRange& a, const ByteRange& b) { return a.begin < b.begin; });
  std::vector<ByteRange> merged;
  for (const auto& r : ranges)
    if (!merged.empty() && r.begin <= merged.back().end)
      merged.back().end = std::max(merged.back().end, r.end);
    else
      merged.push_back(r);
  std::uint64_t total = 0;
  std::vector<ByteRange> out;
  for (auto r : merged) {
    if (total >= limit) break;
    r.end = std::min(r.end, r.begin + (limit - total));
    total += r.size();
    out.push_back(r);
  }
  return out;
}

}  // namespace eofzero::engine
