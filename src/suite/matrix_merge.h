// A matrix worker's results folded into its configuration's record (pure,
// but for reading the worker's report and log).
#pragma once

#include <expected>
#include <filesystem>
#include <string>

#include "report/record.h"
#include "suite/matrix_plan.h"

namespace eofzero::suite {

// A worker's report folded into the job's one configuration record, with its
// expected failures marked; every planned case the worker did not report
// (it died, or was interrupted) becomes a not-run ERROR "not run:
// <why_missing>" (pure).
report::ConfigRecord MergeWorker(const MatrixJob& job, const report::RunRecord* worker,
                                 const std::string& why_missing);

// The worker's JSON report, or why there is none: "it wrote no report",
// "its report is not JSON", "its report: <what is wrong with it>".
std::expected<report::RunRecord, std::string> ReadWorkerReport(const std::filesystem::path& json);

// The last `lines` lines of a worker's log, joined by " | " (for an error).
std::string LogTail(const std::filesystem::path& log, std::size_t lines);

}  // namespace eofzero::suite
