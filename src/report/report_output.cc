#include "report/report_output.h"

#include "os/file_io.h"
#include "report/json_report.h"
#include "report/junit_report.h"
#include "report/table.h"

namespace eofzero::report {

std::string RenderRecord(const RunRecord& record, ReportFormat format) {
  switch (format) {
    case ReportFormat::kJson:
      return ToJson(record).dump(2) + "\n";
    case ReportFormat::kJunit:
      return RenderJunit(record);
    case ReportFormat::kMarkdown:
      return RenderTable(record, TableStyle::kMarkdown);
    case ReportFormat::kHuman:
    case ReportFormat::kFstests:
      break;
  }
  return RenderTable(record, TableStyle::kText);
}

ReportOutput::ReportOutput(ReportFormat format, std::filesystem::path output, std::ostream& out,
                           bool interactive)
    : format_(format), output_(std::move(output)), out_(out) {
  std::vector<Reporter*> to = {&recording_};
  if (format_ == ReportFormat::kFstests) {  // stdout only (the options say so)
    fstests_ = std::make_unique<FstestsReporter>(out);
    to.push_back(fstests_.get());
  } else if (format_ == ReportFormat::kHuman && !output_.empty()) {
    file_.open(output_, std::ios::trunc);
    human_ = std::make_unique<HumanReporter>(file_, false);
    human_out_ = &file_;
  } else if (format_ == ReportFormat::kHuman || !output_.empty()) {
    human_ = std::make_unique<HumanReporter>(out, interactive);
    human_out_ = &out;
  }
  if (human_) to.push_back(human_.get());
  fan_out_ = std::make_unique<FanOutReporter>(std::move(to));
}

void ReportOutput::AppendToHuman(const std::string& text) {
  if (!human_out_) return;
  *human_out_ << text;
  human_out_->flush();
}

std::expected<void, std::string> ReportOutput::Write() {
  if (format_ == ReportFormat::kFstests) return {};  // streamed as cases finished
  if (format_ == ReportFormat::kHuman) {
    if (output_.empty()) return {};
    file_.close();
    if (!file_) return std::unexpected("--output: cannot write " + output_.string());
    return {};
  }
  return WriteReport(RenderRecord(recording_.record(), format_), output_, out_);
}

MatrixOutput::MatrixOutput(ReportFormat format, std::filesystem::path output, std::ostream& out,
                           bool interactive, std::string command)
    : format_(format), output_(std::move(output)), out_(out), command_(std::move(command)) {
  if (format_ == ReportFormat::kHuman || !output_.empty())
    reporter_ = std::make_unique<MatrixTextReporter>(out, interactive, command_);
  else
    reporter_ = std::make_unique<MatrixReporter>();  // says nothing: stdout gets the file format
}

std::expected<void, std::string> MatrixOutput::Write(const RunRecord& record,
                                                     std::size_t configurations,
                                                     unsigned parallel) {
  if (output_.empty() && format_ == ReportFormat::kHuman) return {};  // shown as it ran
  const std::string text = format_ == ReportFormat::kHuman
                               ? RenderMatrixSummary(record, configurations, parallel, command_)
                               : RenderRecord(record, format_);
  return WriteReport(text, output_, out_);
}

std::expected<void, std::string> WriteReport(const std::string& text,
                                             const std::filesystem::path& path, std::ostream& out) {
  if (path.empty()) {
    out << text;
    out.flush();
    return {};
  }
  if (auto written = os::WriteTextFile(path, text); !written)
    return std::unexpected("--output: " + written.error().Message());
  return {};
}

}  // namespace eofzero::report
