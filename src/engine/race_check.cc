#include "engine/race_check.h"

#include <fmt/format.h>

#include <algorithm>

namespace eofzero::engine {
namespace {

// The bytes read in [begin, end): one byte when they are all the same, else
// the first 16 in hex.
std::string ReadText(ByteView got, std::uint64_t begin, std::uint64_t end, bool same) {
  if (same) return fmt::format("{:#04x}", got[begin]);
  std::string text;
  for (std::uint64_t k = begin; k < std::min(end, begin + 16); ++k)
    text += fmt::format("{}{:02x}", k == begin ? "" : " ", got[k]);
  return end - begin > 16 ? text + " ..." : text;
}

}  // namespace

std::vector<std::string> CheckRaceRange(const RaceExpectation& exp, ByteView got,
                                        std::uint64_t file_size, bool zero_allowed,
                                        const std::string& oracle) {
  auto allowed = [&](std::uint64_t i) {
    const std::uint64_t at = exp.offset + i;
    if (got[i] == exp.expected[i]) return true;
    if (got[i] != 0) return false;
    return zero_allowed || std::any_of(exp.maybe.begin(), exp.maybe.end(),
                                       [&](const ByteRange& r) { return r.Contains(at); });
  };
  const std::uint64_t judged = std::min<std::uint64_t>(
      {exp.expected.size(), got.size(), file_size > exp.offset ? file_size - exp.offset : 0});
  std::vector<std::string> out;
  for (std::uint64_t i = 0; i < judged;) {
    if (allowed(i)) {
      ++i;
      continue;
    }
    // One run: consecutive wrong bytes where the same byte was due.
    std::uint64_t j = i + 1;
    bool same = true;
    while (j < judged && !allowed(j) && exp.expected[j] == exp.expected[i])
      same &= got[j++] == got[i];
    out.push_back(fmt::format("line {} {}: [{}, {}) read {} where {} ({})", exp.line, exp.what,
                              exp.offset + i, exp.offset + j, ReadText(got, i, j, same),
                              exp.expected[i] == 0
                                  ? std::string("zero was due")
                                  : fmt::format("the case wrote {:#04x}", exp.expected[i]),
                              oracle));
    i = j;
  }
  return out;
}

bool PromisedSince(const History& history, std::size_t mark) {
  for (std::size_t i = mark; i < history.events.size(); ++i) {
    const Event& e = history.events[i];
    if (e.kind == Event::Kind::kCrash) return false;
    if (e.kind == Event::Kind::kPromise && e.promise == Promise::kFile) return true;
  }
  return false;
}

}  // namespace eofzero::engine
