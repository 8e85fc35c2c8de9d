#include "oracles/invariants.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "engine/sentinel.h"

namespace eofzero::oracles {

using engine::Covers;
using engine::Event;
using engine::Promise;

const char* InvariantName(Invariant i) {
  switch (i) {
    case Invariant::kNoStaleBytes:
      return "no stale bytes";
    case Invariant::kLegalSize:
      return "legal size";
    case Invariant::kPromisedData:
      return "promised data";
    case Invariant::kCleanMetadata:
      return "clean metadata";
  }
  return "?";
}

char InvariantLetter(Invariant i) { return "SLPM"[static_cast<int>(i)]; }

namespace {

std::string Step(const Event& e) {
  return e.line ? fmt::format("{} (line {})", e.what, e.line) : e.what;
}

}  // namespace

CrashModel::CrashModel(const engine::History& history) : history_(history) {
  const auto& events = history_.events;
  crash_ = events.size();
  for (std::size_t i = 0; i < events.size(); ++i)
    if (events[i].kind == Event::Kind::kCrash) {
      crash_ = i;
      break;
    }
  const std::vector<std::uint64_t> cuts = Boundaries();
  for (std::size_t k = 0; k < cuts.size(); ++k) {
    Segment seg;
    seg.begin = cuts[k];
    seg.end = k + 1 < cuts.size() ? cuts[k + 1] : std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t x = seg.begin;
    int current = -1;
    for (std::size_t n = 0; n < crash_; ++n) {
      const Event& e = events[n];
      if (!Covers(e, x)) continue;
      const int i = static_cast<int>(n);
      if (e.kind == Event::Kind::kWrite) {
        current = i;
        seg.later_writes.push_back(i);
      } else if (e.kind == Event::Kind::kPromise) {
        seg.promise = i;
        seg.promised_inside = x < e.size_after;
        seg.promised_value = seg.promised_inside ? current : -1;
        seg.later_writes.clear();
        seg.later_zeroed = false;
      } else {  // zeroed, or cut off by a smaller size
        current = -1;
        seg.later_zeroed = true;
      }
    }
    segments_.push_back(std::move(seg));
  }
  // Invariant 2: from the last promised size on, every size the file had.
  std::size_t from = 0;
  for (std::size_t n = 0; n < crash_; ++n)
    if (events[n].kind == Event::Kind::kPromise) {
      size_promise_ = static_cast<int>(n);
      from = n;
    }
  const std::uint64_t start = size_promise_ >= 0 ? events[from].size_after : 0;
  legal_sizes_.push_back({start, start});
  for (std::size_t n = size_promise_ >= 0 ? from + 1 : 0; n < crash_; ++n) {
    const Event& e = events[n];
    if (e.kind == Event::Kind::kWrite)
      legal_sizes_.push_back(
          {std::min(e.size_before, e.size_after), std::max(e.size_before, e.size_after)});
    else
      legal_sizes_.push_back({e.size_after, e.size_after});
  }
}

std::vector<std::uint64_t> CrashModel::Boundaries() const {
  std::vector<std::uint64_t> cuts = {0};
  for (const Event& e : history_.events) {
    for (std::uint64_t v : {e.size_before, e.size_after}) cuts.push_back(v);
    if (e.kind == Event::Kind::kWrite) {
      cuts.push_back(e.content.offset);
      cuts.push_back(e.content.end());
    } else if (e.kind == Event::Kind::kZero || e.kind == Event::Kind::kPromise) {
      cuts.push_back(e.begin);
      cuts.push_back(e.end);
    }
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  return cuts;
}

std::uint8_t CrashModel::ValueOf(int source, std::uint64_t at) const {
  return source < 0 ? 0 : Ev(source).content.At(at);
}

int CrashModel::SourceAt(std::uint64_t at, std::size_t events) const {
  int source = -1;
  for (std::size_t n = 0; n < std::min(events, history_.events.size()); ++n) {
    const Event& e = history_.events[n];
    if (e.kind == Event::Kind::kPromise || e.kind == Event::Kind::kCrash || !Covers(e, at))
      continue;
    source = e.kind == Event::Kind::kWrite ? static_cast<int>(n) : -1;
  }
  return source;
}

namespace {

// Collects the wrong bytes of one read into one break.
struct Wrong {
  Invariant invariant;
  std::uint64_t first = 0, count = 0;
  std::uint8_t seen = 0;
  std::string why;
  void Add(std::uint64_t at, std::uint8_t value, std::string reason) {
    if (count++ == 0) {
      first = at;
      seen = value;
      why = std::move(reason);
    }
  }
};

void Emit(const Wrong& w, const FileRead& read, std::vector<InvariantBreak>& out) {
  if (!w.count) return;
  const bool sentinel = engine::IsSentinelByte(w.first, w.seen) && w.seen != 0;
  out.push_back({w.invariant, read.oracle, read.phase, w.first, w.count,
                 fmt::format("{} read 0x{:02x}{} at file offset {} ({} such byte{} from there "
                             "on); {}",
                             engine::OracleName(read.oracle), w.seen,
                             sentinel ? " (the sentinel)" : "", w.first, w.count,
                             w.count == 1 ? "" : "s", w.why)});
}

}  // namespace

std::vector<InvariantBreak> CrashModel::CheckBeforeCrash(const FileRead& read) const {
  std::vector<InvariantBreak> out;
  Wrong stale{Invariant::kNoStaleBytes};
  const std::uint64_t end = std::min(read.file_offset + read.bytes.size(), read.file_size);
  int source = -2;
  std::uint64_t source_end = 0;
  for (std::uint64_t at = read.file_offset; at < end; ++at) {
    if (source == -2 || at >= source_end) {  // once per segment
      source = SourceAt(at, read.events);
      auto seg = std::upper_bound(segments_.begin(), segments_.end(), at,
                                  [](std::uint64_t v, const Segment& s) { return v < s.begin; });
      source_end = seg == segments_.end() ? end : seg->begin;
    }
    const std::uint8_t want = ValueOf(source, at);
    const std::uint8_t got = read.bytes[at - read.file_offset];
    if (got != want)
      stale.Add(at, got,
                source < 0 ? "the case never wrote there (it must read as zero)"
                           : fmt::format("the case wrote 0x{:02x} there ({})", want,
                                         Step(Ev(source))));
  }
  Emit(stale, read, out);
  return out;
}

std::vector<InvariantBreak> CrashModel::CheckAfterCrash(const FileRead& read) const {
  std::vector<InvariantBreak> out;
  Wrong stale{Invariant::kNoStaleBytes}, lost{Invariant::kPromisedData};
  const std::uint64_t end = std::min(read.file_offset + read.bytes.size(), read.file_size);
  // The segment that holds the read's first byte (there is always one at 0).
  auto seg = std::prev(std::upper_bound(
      segments_.begin(), segments_.end(), read.file_offset,
      [](std::uint64_t v, const Segment& s) { return v < s.begin; }));
  for (std::uint64_t at = read.file_offset; at < end; ++at) {
    while (seg + 1 != segments_.end() && (seg + 1)->begin <= at) ++seg;
    const std::uint8_t got = read.bytes[at - read.file_offset];
    const bool promised_value = seg->promise >= 0 && got == ValueOf(seg->promised_value, at);
    bool later = false;
    for (int w : seg->later_writes) later |= got == Ev(w).content.At(at);
    if (got != 0 && !promised_value && !later)
      stale.Add(at, got,
                seg->promise >= 0
                    ? fmt::format("after {} it held 0x{:02x}, and no later step wrote 0x{:02x} "
                                  "there",
                                  Step(Ev(seg->promise)), ValueOf(seg->promised_value, at), got)
                    : fmt::format("no step wrote 0x{:02x} there", got));
    if (seg->promise >= 0 && seg->promised_inside && !promised_value && !later &&
        !(got == 0 && seg->later_zeroed))
      lost.Add(at, got,
               fmt::format("{} made 0x{:02x} durable there", Step(Ev(seg->promise)),
                           ValueOf(seg->promised_value, at)));
  }
  Emit(stale, read, out);
  Emit(lost, read, out);
  return out;
}

std::vector<InvariantBreak> CrashModel::CheckSize(std::uint64_t size) const {
  for (const auto& [lo, hi] : legal_sizes_)
    if (lo <= size && size <= hi) return {};
  InvariantBreak b;
  b.invariant = Invariant::kLegalSize;
  b.offset = size;
  b.count = 1;
  b.evidence = fmt::format(
      "the file is {} bytes after the crash; it may be {}{}", size, LegalSizes(),
      size_promise_ >= 0 ? fmt::format(" ({} made {} durable)", Step(Ev(size_promise_)),
                                       Ev(size_promise_).size_after)
                         : std::string());
  return {b};
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> CrashModel::LegalSizeRanges() const {
  auto sorted = legal_sizes_;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::pair<std::uint64_t, std::uint64_t>> merged;
  for (const auto& r : sorted)
    if (!merged.empty() && r.first <= merged.back().second + 1)
      merged.back().second = std::max(merged.back().second, r.second);
    else
      merged.push_back(r);
  return merged;
}

std::string CrashModel::LegalSizes() const {
  std::vector<std::string> parts;
  for (const auto& [lo, hi] : LegalSizeRanges())
    parts.push_back(lo == hi ? std::to_string(lo) : fmt::format("{} to {}", lo, hi));
  return fmt::format("{}", fmt::join(parts, " or "));
}

}  // namespace eofzero::oracles
