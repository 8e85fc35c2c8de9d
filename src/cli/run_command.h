// `eofzero run`: the wiring from options to scratch filesystems, cases,
// verdicts and the reporter.
#pragma once

#include <vector>

#include "cli/options.h"
#include "engine/case_spec.h"
#include "oracles/verdict.h"
#include "report/reporter.h"

namespace eofzero::cli {

// Runs the cases on every selected filesystem: one mkfs per filesystem and
// block size the cases need (on images, or in turn on the user's scratch
// device), one file per case. A case that does not apply to a filesystem, or
// needs a block size other than the one the mkfs options set, is reported as
// skipped. Interrupted, it stops early (after cleaning up), reports every
// case it did not run as an ERROR "not run: interrupted by signal N (SIG…)",
// then Reporter::Interrupted. Returns each case's outcome.
std::vector<oracles::Outcome> RunSuite(const suite::RunOptions& options,
                                       const std::vector<const engine::CaseSpec*>& cases,
                                       report::Reporter& reporter);

}  // namespace eofzero::cli
