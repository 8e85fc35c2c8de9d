#include "suite/exit_status.h"

#include <algorithm>

#include "report/standing.h"

namespace eofzero::suite {

int ExitStatusFor(std::span<const oracles::Outcome> outcomes, int interrupt_signal) {
  using oracles::Outcome;
  if (interrupt_signal != 0) return 128 + interrupt_signal;
  auto any = [&](Outcome o) {
    return std::find(outcomes.begin(), outcomes.end(), o) != outcomes.end();
  };
  if (any(Outcome::kFail)) return kExitFail;
  if (any(Outcome::kError) || outcomes.empty()) return kExitToolError;
  return kExitPass;
}

int MatrixExitStatus(const report::RunRecord& record) {
  using report::Standing;
  bool red_finding = false, error = false;
  for (const auto& c : record.configs) {
    error |= !c.setup_error.empty();
    for (const auto& r : c.cases) {
      const Standing s = report::StandingOf(r);
      red_finding |= s == Standing::kNewFail || s == Standing::kUnexpectedPass;
      error |= s == Standing::kError;
    }
  }
  return red_finding ? kExitFail : error ? kExitToolError : kExitPass;
}

}  // namespace eofzero::suite
