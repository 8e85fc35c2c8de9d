// `eofzero matrix`: runs the cases on every configuration of a matrix file.
// Each configuration is one worker — this same binary running `run --format
// json` with the configuration's options, on its own loop devices under the
// matrix's private folder — and up to `parallel` workers run at once
// (suite/matrix_workers.h, on the worker pool). The workers' JSON reports are read back into one RunRecord,
// the configurations' expected failures applied; the reporter shows progress
// while it runs and the table at the end.
#pragma once

#include <expected>
#include <vector>

#include "os/error.h"
#include "report/matrix_reporter.h"
#include "report/record.h"
#include "suite/matrix_plan.h"
#include "suite/run_options.h"

namespace eofzero::suite {

// Runs the jobs and returns their record (interrupted_by set when a signal
// stopped it: the cases its workers and the jobs not started did not run
// are not-run ERRORs). Needs root (the workers do). An error: the matrix
// could not start (its own executable, its folder), and nothing ran.
std::expected<report::RunRecord, os::Error> RunMatrix(const std::vector<MatrixJob>& jobs,
                                                      const RunOptions& options, unsigned parallel,
                                                      report::MatrixReporter& reporter);

}  // namespace eofzero::suite
