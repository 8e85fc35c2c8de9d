#include "cli/report_output.h"

#include <fstream>

#include "report/json_report.h"
#include "report/junit_report.h"
#include "report/table.h"

namespace eofzero::cli {

using report::ReportFormat;

std::string RenderRecord(const report::RunRecord& record, ReportFormat format) {
  switch (format) {
    case ReportFormat::kJson:
      return report::ToJson(record).dump(2) + "\n";
    case ReportFormat::kJunit:
      return report::RenderJunit(record);
    case ReportFormat::kMarkdown:
      return report::RenderTable(record, report::TableStyle::kMarkdown);
    case ReportFormat::kHuman:
    case ReportFormat::kFstests:
      break;
  }
  return report::RenderTable(record, report::TableStyle::kText);
}

ReportOutput::ReportOutput(const suite::RunOptions& options, std::ostream& out, bool interactive)
    : options_(options), out_(out) {
  std::vector<report::Reporter*> to = {&recording_};
  if (options.format == ReportFormat::kFstests) {  // stdout only (the options say so)
    fstests_ = std::make_unique<report::FstestsReporter>(out);
    to.push_back(fstests_.get());
  } else if (options.format == ReportFormat::kHuman && !options.output.empty()) {
    file_.open(options.output, std::ios::trunc);
    human_ = std::make_unique<report::HumanReporter>(file_, false);
  } else if (options.format == ReportFormat::kHuman || !options.output.empty()) {
    human_ = std::make_unique<report::HumanReporter>(out, interactive);
  }
  if (human_) to.push_back(human_.get());
  fan_out_ = std::make_unique<report::FanOutReporter>(std::move(to));
}

std::expected<void, std::string> ReportOutput::Write() {
  if (options_.format == ReportFormat::kFstests) return {};  // streamed as cases finished
  if (options_.format == ReportFormat::kHuman) {
    if (options_.output.empty()) return {};
    file_.close();
    if (!file_) return std::unexpected("--output: cannot write " + options_.output.string());
    return {};
  }
  return WriteReport(RenderRecord(recording_.record(), options_.format), options_.output, out_);
}

std::expected<void, std::string> WriteReport(const std::string& text,
                                             const std::filesystem::path& path, std::ostream& out) {
  if (path.empty()) {
    out << text;
    out.flush();
    return {};
  }
  std::ofstream file(path, std::ios::trunc);
  file << text;
  file.close();
  if (!file) return std::unexpected("--output: cannot write " + path.string());
  return {};
}

}  // namespace eofzero::cli
