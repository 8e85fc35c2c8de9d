// `eofzero matrix`: runs the cases on every configuration of a matrix file.
// Each configuration is one worker — this same binary running `run --format
// json` with the configuration's options, on its own loop devices under the
// matrix's private folder — and up to --jobs workers run at once. The
// workers' JSON reports are read back into one RunRecord, the configurations'
// expected failures applied, and the results rendered once: progress while it
// runs, then the configuration × case table.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cli/matrix_config.h"
#include "cli/options.h"
#include "engine/case_spec.h"
#include "report/record.h"

namespace eofzero::cli {

struct MatrixJob {
  MatrixEntry entry;
  std::vector<std::string> cases;  // resolved names, in catalog order
};

// Loads the matrix file and resolves every configuration's cases (pure but
// for reading the file). Errors are "FILE:LINE: message" (exit 2).
std::expected<std::vector<MatrixJob>, std::string> PlanMatrix(
    const std::filesystem::path& file, const std::vector<engine::CaseSpec>& catalog);

// Checks each configuration's cases as its worker will run them
// (PreflightCases at the configuration's filesystem and block size, with the
// default gap and image size), before any worker starts (pure). The error is
// "FILE:LINE: message (configuration NAME)".
std::expected<void, std::string> PreflightMatrix(const std::vector<MatrixJob>& jobs,
                                                 const std::vector<engine::CaseSpec>& catalog);

// The worker's arguments after the program name (pure).
std::vector<std::string> WorkerArgs(const MatrixJob& job, const suite::RunOptions& options,
                                    const std::filesystem::path& workdir,
                                    const std::filesystem::path& json_out);

// A worker's report folded into the job's one configuration record, with its
// expected failures marked; every planned case the worker did not report
// (it died, or was interrupted) becomes a not-run ERROR "not run:
// <why_missing>" (pure).
report::ConfigRecord MergeWorker(const MatrixJob& job, const report::RunRecord* worker,
                                 const std::string& why_missing);

// Runs the jobs; returns the exit status. Needs root (the workers do).
// Interrupted, it stops its workers, reports the cases they and the jobs not
// started did not run as not-run ERRORs, and marks the record interrupted.
int RunMatrix(const std::vector<MatrixJob>& jobs, const suite::RunOptions& options, unsigned parallel,
              std::ostream& out, bool interactive);

}  // namespace eofzero::cli
