#include "report/format.h"

namespace eofzero::report {

std::optional<ReportFormat> ParseReportFormat(std::string_view name) {
  if (name == "human") return ReportFormat::kHuman;
  if (name == "json") return ReportFormat::kJson;
  if (name == "junit") return ReportFormat::kJunit;
  if (name == "markdown") return ReportFormat::kMarkdown;
  if (name == "fstests") return ReportFormat::kFstests;
  return std::nullopt;
}

}  // namespace eofzero::report
