// Exit statuses (pure). 0: every case passed (skips allowed); 1: a case found
// a failure; 2: bad usage (nothing was touched); 3: the tool could not set up
// or verify itself and found no failure; 128+N: interrupted by signal N after
// cleaning up. A finding outranks a tool error: exit 1 whenever any case failed.
#pragma once

#include <span>

#include "oracles/verdict.h"

namespace eofzero::cli {

inline constexpr int kExitPass = 0;
inline constexpr int kExitFail = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitToolError = 3;

int ExitStatusFor(std::span<const oracles::Outcome> outcomes, int interrupt_signal);

}  // namespace eofzero::cli
