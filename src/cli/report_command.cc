// `eofzero report FILE.json`: a saved report rendered again in another format;
// `eofzero report --merge A.json B.json ...`: shards' reports joined into one
// (refused unless they are every slice of one run, once), exiting as the
// whole run would.
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/command_setup.h"
#include "cli/commands.h"
#include "report/human_reporter.h"
#include "report/json_report.h"
#include "report/kernel_times.h"
#include "report/report_output.h"
#include "report/table.h"
#include "os/file_io.h"
#include "suite/exit_status.h"
#include "suite/explore_report.h"
#include "suite/guest_records.h"

namespace eofzero::cli {
namespace {

std::expected<report::RunRecord, Stop> Load(const std::filesystem::path& file) {
  auto record = report::LoadJsonReport(file);
  if (record) return std::move(*record);
  // (A file that cannot be read reads as no JSON.)
  const auto& e = record.error();
  return std::unexpected(
      Stop{suite::kExitUsage,
           file.string() + ": " +
               (e.kind == report::JsonReportError::Kind::kNotAReport ? e.message : "not JSON")});
}

// The file's JSON, when it is an explore report; nullopt when it is not
// one (or not JSON: Load says why).
std::optional<nlohmann::ordered_json> ExploreDocument(const std::filesystem::path& file) {
  auto text = os::ReadRegularFile(file, 256ull << 20);
  if (!text) return std::nullopt;
  auto doc = nlohmann::ordered_json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !suite::IsExploreReport(doc)) return std::nullopt;
  return doc;
}

// `report FILE` and `report --merge A B ...` of explore reports.
int ExploreReports(const Invocation& inv, const std::vector<std::filesystem::path>& files) {
  const bool merge = !inv.report_merge.empty();
  std::vector<std::pair<std::string, suite::ExploreReport>> reports;
  for (const auto& file : files) {
    auto doc = ExploreDocument(file);
    if (!doc)
      return ExitWith({suite::kExitUsage, (merge ? "--merge: " : "") + files.front().string() +
                                              " is an explore report, " + file.string() +
                                              " is not: only reports of one kind merge"});
    auto loaded = suite::ExploreReportFromJson(*doc);
    if (!loaded) return ExitWith({suite::kExitUsage, file.string() + ": " + loaded.error()});
    reports.emplace_back(file.string(), std::move(*loaded));
  }
  suite::ExploreReport report = reports.front().second;
  if (merge) {
    auto merged = suite::MergeExploreReports(reports);
    if (!merged) return ExitWith({suite::kExitUsage, "--merge: " + merged.error()});
    report = std::move(*merged);
  }
  if (inv.run.format == report::ReportFormat::kJunit)
    return ExitWith({suite::kExitUsage, "--format: junit is not a format of explore reports "
                                        "(json, human, markdown)"});
  auto written = report::WriteReport(suite::RenderExploreReport(report, inv.run.format),
                                     inv.run.output, std::cout);
  if (!written) return ExitWith({suite::kExitToolError, written.error()});
  return merge ? suite::ExploreReportExitStatus(report) : suite::kExitPass;
}

}  // namespace

int ReportCommand(const Invocation& inv) {
  report::RunRecord record;
  const bool merge = !inv.report_merge.empty();
  {
    const auto& files = merge ? inv.report_merge : std::vector{inv.report_input};
    if (ExploreDocument(files.front())) return ExploreReports(inv, files);
  }
  if (!merge) {
    auto loaded = Load(inv.report_input);
    if (!loaded) return ExitWith(loaded.error());
    record = std::move(*loaded);
  } else {
    std::vector<suite::NamedReport> shards;
    for (const auto& file : inv.report_merge) {
      auto loaded = Load(file);
      if (!loaded) return ExitWith(loaded.error());
      shards.push_back({file.string(), std::move(*loaded)});
    }
    auto merged = suite::MergeReports(shards);
    if (!merged) return ExitWith({suite::kExitUsage, "--merge: " + merged.error()});
    record = std::move(*merged);
  }
  std::string text = inv.run.format == report::ReportFormat::kHuman
                         ? report::RenderHumanReport(record)
                         : report::RenderRecord(record, inv.run.format);
  if (inv.run.format == report::ReportFormat::kMarkdown)
    text += report::RenderKernelTimes(record, report::TableStyle::kMarkdown);
  else if (inv.run.format == report::ReportFormat::kHuman)
    text += report::RenderKernelTimes(record, report::TableStyle::kText);
  auto written = report::WriteReport(text, inv.run.output, std::cout);
  if (!written) return ExitWith({suite::kExitToolError, written.error()});
  // A merge stands for the whole run (a CI job's last step): its status is
  // the run's, as a matrix's (1 on a new failure, 3 on an error).
  return merge ? suite::MatrixExitStatus(record) : suite::kExitPass;
}

}  // namespace eofzero::cli
