#include "engine/race_check.h"

#include <fmt/format.h>

#include <algorithm>

namespace eofzero::engine {

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
    // One run: the same byte read where the same byte was due.
    std::uint64_t j = i + 1;
    while (j < judged && !allowed(j) && got[j] == got[i] && exp.expected[j] == exp.expected[i]) ++j;
    const char* due = exp.expected[i] == 0 ? "zero was due" : "the case wrote";
    out.push_back(fmt::format("line {} {}: [{}, {}) read {:#04x} where {}{} ({})", exp.line,
                              exp.what, exp.offset + i, exp.offset + j, got[i], due,
                              exp.expected[i] == 0 ? "" : fmt::format(" {:#04x}", exp.expected[i]),
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
