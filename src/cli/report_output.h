// Where a command's results go: the human (or fstests) report streams to
// stdout as cases finish; a json, junit or markdown report is rendered from
// the records once the run is over, to --output or (without it) to stdout
// instead of the human report.
#pragma once

#include <expected>
#include <fstream>
#include <memory>
#include <ostream>
#include <string>

#include "cli/options.h"
#include "report/fstests_reporter.h"
#include "report/human_reporter.h"
#include "report/record.h"

namespace eofzero::cli {

// Renders a finished record in a file format (not kHuman).
std::string RenderRecord(const report::RunRecord& record, report::ReportFormat format);

class ReportOutput {
 public:
  // `out` is stdout; `interactive` whether it is a terminal.
  ReportOutput(const suite::RunOptions& options, std::ostream& out, bool interactive);
  report::Reporter& reporter() { return *fan_out_; }
  const report::RunRecord& record() const { return recording_.record(); }
  // Writes the file format (if one was asked for). An error names the file.
  std::expected<void, std::string> Write();

 private:
  const suite::RunOptions& options_;
  std::ostream& out_;
  std::ofstream file_;  // --format human --output FILE
  report::RecordingReporter recording_;
  std::unique_ptr<report::HumanReporter> human_;
  std::unique_ptr<report::FstestsReporter> fstests_;
  std::unique_ptr<report::FanOutReporter> fan_out_;
};

// Writes `text` to `path`, or to `out` when the path is empty.
std::expected<void, std::string> WriteReport(const std::string& text,
                                             const std::filesystem::path& path, std::ostream& out);

}  // namespace eofzero::cli
