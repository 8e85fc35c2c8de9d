// `eofzero selftest --format json`: the self-test as one JSON document, and
// that document read back (`kernels --selftest` reads each guest's). The
// table's rows (an oracle in a phase, the control that must make it report)
// hold one cell per column: its state and why.
//
// Schema: {selftest: {tool, kernel, all_detected, setup_failed, error,
//   columns: [{name, fs, block_size, setup_error}],
//   rows: [{label, control, cells: [{state, reason}]}],
//   controls: [{column, control, outcome, summary}], notes: [line]}}
// where state is detected | not_detected | skip | error (the text table's
// yes, NO, skip, ?), `error` says why nothing ran (then there are no
// columns), and `notes` are the lines about baselines and setups the text
// report prints. A reader takes a missing key as its default.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "report/selftest_report.h"

namespace eofzero::report {

struct SelftestDocument {
  std::string tool;    // ToolIdentity: "eofzero 0.1.0 (commit ...)"
  std::string kernel;  // the release it ran on
  bool all_detected = false;
  bool setup_failed = false;
  std::string error;  // nothing ran (SelftestReporter::RunFailed)
  SelftestTable table;
  struct ControlRun {
    std::string column, control, outcome, summary;  // outcome: "PASS", ...
    bool operator==(const ControlRun&) const = default;
  };
  std::vector<ControlRun> controls;
  std::vector<std::string> notes;
};

// A cell's state in the document: "yes" -> "detected", "NO" ->
// "not_detected", "skip" -> "skip", "?" -> "error"; and back (empty for a
// word that is neither).
std::string CellState(const std::string& cell);
std::string CellFromState(const std::string& state);

std::string RenderSelftestJson(const SelftestDocument& doc);

// Reads RenderSelftestJson's text; an error names what is missing or wrong.
std::expected<SelftestDocument, std::string> SelftestFromJson(std::string_view text);

// Collects the self-test's events into a document, and passes each on to
// `also` (the text reporter) when given.
class SelftestRecorder : public SelftestReporter {
 public:
  explicit SelftestRecorder(SelftestReporter* also = nullptr) : also_(also) {}
  void RunFailed(const std::string& error) override;
  void SetupFailed(const std::string& column, const std::string& error) override;
  void ControlDone(const std::string& column, const std::string& control,
                   const oracles::Verdict& verdict) override;
  void BaselineFailed(const std::string& column, const std::string& baseline) override;
  void Finish(const SelftestTable& table) override;
  SelftestDocument& document() { return doc_; }

 private:
  SelftestReporter* also_;
  SelftestDocument doc_;
};

}  // namespace eofzero::report
