#include "engine/history.h"

#include <algorithm>

namespace eofzero::engine {

bool Covers(const Event& e, std::uint64_t at) {
  switch (e.kind) {
    case Event::Kind::kWrite:
      return e.content.offset <= at && at < e.content.end();
    case Event::Kind::kZero:
      return e.begin <= at && at < e.end;
    case Event::Kind::kResize:  // bytes a smaller size cut off
      return e.size_after <= at && at < e.size_before;
    case Event::Kind::kPromise:
      return e.promise == Promise::kFile || (e.begin <= at && at < e.end);
    case Event::Kind::kCrash:
      return false;
  }
  return false;
}

std::vector<Piece> CurrentPieces(const History& history) {
  const std::uint64_t size = history.size();
  std::vector<std::uint64_t> cuts = {0, size};
  for (const Event& e : history.events)
    if (e.kind == Event::Kind::kWrite) {
      cuts.push_back(e.content.offset);
      cuts.push_back(e.content.end());
    } else if (e.kind == Event::Kind::kZero || e.kind == Event::Kind::kResize) {
      for (std::uint64_t v : {e.begin, e.end, e.size_before, e.size_after}) cuts.push_back(v);
    }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::vector<Piece> pieces;
  for (std::size_t k = 0; k + 1 < cuts.size() && cuts[k] < size; ++k) {
    int source = -1;
    for (std::size_t n = 0; n < history.events.size(); ++n) {
      const Event& e = history.events[n];
      if (e.kind == Event::Kind::kPromise || e.kind == Event::Kind::kCrash || !Covers(e, cuts[k]))
        continue;
      source = e.kind == Event::Kind::kWrite ? static_cast<int>(n) : -1;
    }
    const std::uint64_t end = std::min(cuts[k + 1], size);
    if (!pieces.empty() && pieces.back().source == source && pieces.back().end == cuts[k])
      pieces.back().end = end;
    else
      pieces.push_back({cuts[k], end, source});
  }
  return pieces;
}

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
