// The report formats (--format): what a run, a matrix or `eofzero report`
// writes to --output, or to stdout without it.
#pragma once

#include <optional>
#include <string_view>

namespace eofzero::report {

enum class ReportFormat {
  kHuman,     // a line per case, evidence, the table (a terminal or a CI log)
  kJson,      // json_report.h
  kJunit,     // junit_report.h
  kMarkdown,  // table.h, for CI summaries
  kFstests,   // fstests_reporter.h: lines for a golden file, stdout only (run)
};

std::optional<ReportFormat> ParseReportFormat(std::string_view name);

}  // namespace eofzero::report
