#include "suite/explore_results.h"

#include <fmt/format.h>

namespace eofzero::suite {
namespace {

using json = nlohmann::ordered_json;

// The run a line says, or nullopt when it is not one.
std::optional<LoggedRun> RunOf(const std::string& line) {
  const json j = json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  try {
    LoggedRun r;
    r.config = j.at("config").get<std::string>();
    r.case_name = j.at("case").get<std::string>();
    r.workload = j.value("workload", "");
    r.crash = j.value("crash", "");
    auto outcome = oracles::ParseOutcome(j.at("verdict").get<std::string>());
    if (!outcome || r.config.empty() || r.case_name.empty()) return std::nullopt;
    r.outcome = *outcome;
    const std::string kind = j.value("finding", "");
    if (r.outcome == oracles::Outcome::kFail) {
      if (kind.empty()) return std::nullopt;  // a FAIL always has one
      r.finding = explore::FindingKind{kind, j.value("after_crash", true)};
    }
    r.summary = j.value("summary", "");
    return r;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

}  // namespace

json ResultsLine(const LoggedRun& r) {
  return {{"config", r.config},
          {"case", r.case_name},
          {"workload", r.workload},
          {"crash", r.crash},
          {"verdict", oracles::OutcomeName(r.outcome)},
          {"finding", r.finding ? r.finding->kind : ""},
          {"after_crash", r.finding && r.finding->after_crash},
          {"summary", r.summary}};
}

std::expected<ResultsFile, std::string> ParseResults(const std::string& text) {
  ResultsFile out;
  std::size_t at = 0;
  for (std::size_t number = 1; at < text.size(); ++number) {
    const std::size_t end = text.find('\n', at);
    const bool whole = end != std::string::npos;
    auto run = RunOf(text.substr(at, whole ? end - at : std::string::npos));
    if (!run || !whole) {
      // Only the last line can have been cut short.
      if (!whole || end + 1 == text.size()) {
        out.torn = true;
        return out;
      }
      return std::unexpected(fmt::format("line {}: not a run's line of explore --results",
                                         number));
    }
    out.runs.push_back(std::move(*run));
    at = end + 1;
    out.good_bytes = at;
  }
  return out;
}

}  // namespace eofzero::suite
