#include "report/report_output.h"

#include <ext/stdio_filebuf.h>

#include "os/file_io.h"
#include "os/user_files.h"
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

std::expected<std::unique_ptr<ReportOutput>, std::string> ReportOutput::Open(
    ReportFormat format, std::filesystem::path output, std::ostream& out, bool interactive) {
  std::unique_ptr<ReportOutput> o(new ReportOutput(format, std::move(output), out));
  std::vector<Reporter*> to = {&o->recording_};
  if (format == ReportFormat::kFstests) {  // stdout only (the options say so)
    o->fstests_ = std::make_unique<FstestsReporter>(out);
    to.push_back(o->fstests_.get());
  } else if (format == ReportFormat::kHuman && !o->output_.empty()) {
    auto fd = os::OpenOutputFile(o->output_);
    if (!fd) return std::unexpected("--output: " + fd.error().Message());
    if (auto emptied = os::Truncate(fd->get(), 0, o->output_.string()); !emptied)
      return std::unexpected("--output: " + emptied.error().Message());
    // The stream owns the descriptor from here on, and closes it.
    o->file_buffer_ =
        std::make_unique<__gnu_cxx::stdio_filebuf<char>>(fd->release(), std::ios::out);
    o->file_ = std::make_unique<std::ostream>(o->file_buffer_.get());
    o->human_ = std::make_unique<HumanReporter>(*o->file_, false);
    o->human_out_ = o->file_.get();
  } else if (format == ReportFormat::kHuman || !o->output_.empty()) {
    o->human_ = std::make_unique<HumanReporter>(out, interactive);
    o->human_out_ = &out;
  }
  if (o->human_) to.push_back(o->human_.get());
  o->fan_out_ = std::make_unique<FanOutReporter>(std::move(to));
  return o;
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
    file_->flush();
    const bool written = file_->good();
    auto* buffer = static_cast<__gnu_cxx::stdio_filebuf<char>*>(file_buffer_.get());
    if (buffer->close() == nullptr || !written)
      return std::unexpected("--output: cannot write " + output_.string());
    return {};
  }
  return WriteReport(RenderRecord(recording_.record(), format_), output_, out_);
}

MatrixOutput::MatrixOutput(ReportFormat format, std::filesystem::path output, std::ostream& out,
                           bool interactive, std::string command, MatrixRendering rendering)
    : format_(format),
      output_(std::move(output)),
      out_(out),
      command_(std::move(command)),
      rendering_(std::move(rendering)) {
  if (format_ == ReportFormat::kHuman || !output_.empty())
    reporter_ = std::make_unique<MatrixTextReporter>(out, interactive, command_, rendering_);
  else
    reporter_ = std::make_unique<MatrixReporter>();  // says nothing: stdout gets the file format
}

std::expected<void, std::string> MatrixOutput::Write(const RunRecord& record,
                                                     std::size_t configurations,
                                                     unsigned parallel) {
  if (output_.empty() && format_ == ReportFormat::kHuman) return {};  // shown as it ran
  const std::string text = format_ == ReportFormat::kHuman
                               ? rendering_.Summary(record, configurations, parallel, command_)
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
  if (auto written = os::WriteOutputFile(path, text); !written)
    return std::unexpected("--output: " + written.error().Message());
  return {};
}

}  // namespace eofzero::report
