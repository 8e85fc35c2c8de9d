#include "report/format.h"

namespace eofzero::report {
namespace {

constexpr ReportFormatEntry kFormats[] = {
    {ReportFormat::kHuman, "human", false},    {ReportFormat::kJson, "json", false},
    {ReportFormat::kJunit, "junit", false},    {ReportFormat::kMarkdown, "markdown", false},
    {ReportFormat::kFstests, "fstests", true},
};

}  // namespace

std::span<const ReportFormatEntry> ReportFormats() { return kFormats; }

const char* FormatName(ReportFormat format) {
  for (const auto& f : kFormats)
    if (f.format == format) return f.name;
  return "?";
}

std::optional<ReportFormat> ParseReportFormat(std::string_view name) {
  for (const auto& f : kFormats)
    if (name == f.name) return f.format;
  return std::nullopt;
}

}  // namespace eofzero::report
