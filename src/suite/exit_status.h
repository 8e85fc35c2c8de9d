// Exit statuses (pure). 0: every case passed (skips allowed); 1: a case found
// a failure; 2: bad usage (nothing was touched); 3: the tool could not set up
// or verify itself and found no failure; 128+N: interrupted by signal N after
// cleaning up. A finding outranks a tool error: exit 1 whenever any case failed.
// They are also the matrix's protocol with its workers: a worker that exits
// 0 or 1 finished its run.
#pragma once

#include <span>

#include "oracles/verdict.h"
#include "report/record.h"

namespace eofzero::suite {

inline constexpr int kExitPass = 0;
inline constexpr int kExitFail = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitToolError = 3;

int ExitStatusFor(std::span<const oracles::Outcome> outcomes, int interrupt_signal);

// Exit status of a matrix (pure): 1 on a new failure or an unexpected pass,
// 3 on an error with no red finding, else 0.
int MatrixExitStatus(const report::RunRecord& record);

}  // namespace eofzero::suite
