// Where a command's results go: the human (or fstests) report streams to
// stdout as cases finish; a json, junit or markdown report is rendered from
// the records once the run is over, to --output or (without it) to stdout
// instead of the human report.
#pragma once

#include <expected>
#include <filesystem>
#include <memory>
#include <ostream>
#include <streambuf>
#include <string>

#include "report/format.h"
#include "report/fstests_reporter.h"
#include "report/human_reporter.h"
#include "report/matrix_reporter.h"
#include "report/record.h"

namespace eofzero::report {

// Renders a finished record in a file format (not kHuman).
std::string RenderRecord(const RunRecord& record, ReportFormat format);

class ReportOutput {
 public:
  // `format` and `output` as --format and --output say (the fstests format
  // only to stdout); `out` is stdout; `interactive` whether it is a terminal.
  // The human format's file is opened now (os::OpenOutputFile: never a
  // FIFO, a device, a link or a file with another name, never blocking): an
  // error names it, before anything runs.
  static std::expected<std::unique_ptr<ReportOutput>, std::string> Open(
      ReportFormat format, std::filesystem::path output, std::ostream& out, bool interactive);
  Reporter& reporter() { return *fan_out_; }
  const RunRecord& record() const { return recording_.record(); }
  // What a command adds to the record once the run is over, before Write.
  RunRecord& record_to_amend() { return recording_.record_to_amend(); }
  // Adds `text` to the end of the human report, wherever it goes (stdout, or
  // the --output file of --format human); nothing when there is none.
  void AppendToHuman(const std::string& text);
  // Writes the file format (if one was asked for). An error names the file.
  std::expected<void, std::string> Write();

 private:
  ReportOutput(ReportFormat format, std::filesystem::path output, std::ostream& out)
      : format_(format), output_(std::move(output)), out_(out) {}
  const ReportFormat format_;
  const std::filesystem::path output_;
  std::ostream& out_;
  std::unique_ptr<std::streambuf> file_buffer_;  // --format human --output FILE
  std::unique_ptr<std::ostream> file_;
  std::ostream* human_out_ = nullptr;  // where the human report goes, if anywhere
  RecordingReporter recording_;
  std::unique_ptr<HumanReporter> human_;
  std::unique_ptr<FstestsReporter> fstests_;
  std::unique_ptr<FanOutReporter> fan_out_;
};

// Where a matrix's results go: the human report (MatrixTextReporter) on
// stdout while it runs, when the format is human or another one goes to
// --output; a file format, or the human summary to --output, once it is over.
class MatrixOutput {
 public:
  // `command` names the run in the human report ("matrix", "kernels").
  MatrixOutput(ReportFormat format, std::filesystem::path output, std::ostream& out,
               bool interactive, std::string command = "matrix", MatrixRendering rendering = {});
  MatrixReporter& reporter() { return *reporter_; }
  // Writes what --format and --output ask for besides stdout's human report.
  std::expected<void, std::string> Write(const RunRecord& record, std::size_t configurations,
                                         unsigned parallel);

 private:
  const ReportFormat format_;
  const std::filesystem::path output_;
  std::ostream& out_;
  const std::string command_;
  const MatrixRendering rendering_;
  std::unique_ptr<MatrixReporter> reporter_;
};

// Writes `text` to `path`, or to `out` when the path is empty.
std::expected<void, std::string> WriteReport(const std::string& text,
                                             const std::filesystem::path& path, std::ostream& out);

}  // namespace eofzero::report
