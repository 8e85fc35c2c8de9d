#include "cli/exit_status.h"

#include <algorithm>

namespace eofzero::cli {

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

}  // namespace eofzero::cli
