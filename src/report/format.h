// The report formats (--format): what a run, a matrix or `eofzero report`
// writes to --output, or to stdout without it. Their names are one table,
// read both to parse --format and to list the formats in help and errors.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace eofzero::report {

enum class ReportFormat {
  kHuman,     // a line per case, evidence, the table (a terminal or a CI log)
  kJson,      // json_report.h
  kJunit,     // junit_report.h
  kMarkdown,  // table.h, for CI summaries
  kFstests,   // fstests_reporter.h: lines for a golden file, stdout only (run)
};

struct ReportFormatEntry {
  ReportFormat format;
  const char* name;
  bool run_only;  // only `eofzero run` writes it
};

// Every format, in the order help and errors list them.
std::span<const ReportFormatEntry> ReportFormats();

const char* FormatName(ReportFormat format);                           // "json"
std::optional<ReportFormat> ParseReportFormat(std::string_view name);  // FormatName's inverse

}  // namespace eofzero::report
