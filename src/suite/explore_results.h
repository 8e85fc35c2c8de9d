// `explore --results FILE` (pure): a JSON line per run as it ends, and
// reading them back for `--resume` — the runs already in the file are not
// run again; their verdicts are counted and their failures grouped as if
// they ran now. A line says what that needs: the configuration and the case
// (a run's case name is a hash of its steps: the plan gives the run back),
// the verdict, and the finding with its phase.
#pragma once

#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "explore/finding.h"
#include "oracles/verdict.h"

namespace eofzero::suite {

struct LoggedRun {
  std::string config;  // "ext4/4k"
  std::string case_name;
  std::string workload, crash;  // as explore::Describe and the crash mode's name say them
  oracles::Outcome outcome = oracles::Outcome::kPass;
  std::optional<explore::FindingKind> finding;  // a FAIL's
  std::string summary;
};

nlohmann::ordered_json ResultsLine(const LoggedRun& run);

// The lines of a results file: every whole line a run wrote, and how many
// bytes they take — a last line cut short (the run was killed while writing
// it) is not one, and is written again. Any other line that is not a run's
// is an error naming its line number.
struct ResultsFile {
  std::vector<LoggedRun> runs;
  std::uint64_t good_bytes = 0;  // where the next line goes
  bool torn = false;             // a last line was cut short
};
std::expected<ResultsFile, std::string> ParseResults(const std::string& text);

}  // namespace eofzero::suite
