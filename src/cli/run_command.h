// `eofzero run`: the wiring from options to scratch filesystems, cases,
// verdicts and the reporter.
#pragma once

#include <vector>

#include "cli/options.h"
#include "oracles/verdict.h"
#include "report/reporter.h"

namespace eofzero::cli {

// Runs every selected case on every selected filesystem: one mkfs per
// filesystem, one file per case. Stops early (after cleaning up) when
// interrupted. Returns each case's outcome.
std::vector<oracles::Outcome> RunSuite(const RunOptions& options, report::Reporter& reporter);

}  // namespace eofzero::cli
