// Plain-text results for a terminal: one line per case as it finishes (with
// its place, n/m, in the run), the evidence under each failure, then the
// configuration × case table and a closing "N passed, N failed" line. On a
// terminal (`interactive`), a transient line names the case that is running.
// An interrupted run's table and closing line say so, and what did not run.
#pragma once

#include <ostream>

#include "report/record.h"
#include "report/reporter.h"

namespace eofzero::report {

// The evidence block for a failing case: which oracle saw what, where, and a
// hexdump of the block with the sentinel (^^) and other non-zero bytes (**)
// in the gap marked.
std::string RenderEvidence(const ConfigInfo& config, const engine::CaseRun& run,
                           const oracles::Verdict& verdict);

// A case's line as the human report prints it ("PASS  3/6  ext4/4k
// truncate_up  0.12s  summary"), then its evidence and its notes. `place` is
// "3/6" (its place in the run), or "states" for a case's crash states.
std::string RenderCaseLines(const ConfigInfo& config, const CaseRecord& record,
                            const std::string& place);
// The end of the human report: the table (when there is more than one case)
// and the "N passed, N failed, ..." line, with an interruption's summary.
std::string RenderClosing(const RunRecord& record);
// A finished record as the human report printed it while the run went (the
// order of the records, which puts a configuration's skips after its `==`
// line), then a sweep's tables: what `eofzero report FILE.json` shows.
std::string RenderHumanReport(const RunRecord& record);

class HumanReporter : public Reporter {
 public:
  explicit HumanReporter(std::ostream& out, bool interactive = false)
      : out_(out), interactive_(interactive) {}
  void Planned(std::size_t cases) override { planned_ = cases; }
  void RunStarted(const std::string& kernel) override;
  void ConfigReady(const ConfigInfo& config) override;
  void ConfigFailed(const ConfigInfo& config, const std::string& error) override;
  void CaseStarted(const ConfigInfo& config, const std::string& case_name) override;
  void CaseDone(const ConfigInfo& config, const CaseResult& result) override;
  void CrashStatesDone(const ConfigInfo& config, const oracles::CrashStates& states) override;
  void Interrupted(int signo) override { record_.Interrupted(signo); }
  void Finish(double seconds) override;

 private:
  std::string Place() const;  // "3/6", or "3" when the total is unknown
  void ClearTransient();

  std::ostream& out_;
  bool interactive_;
  bool transient_shown_ = false;
  std::size_t planned_ = 0;
  std::size_t done_ = 0;
  RecordingReporter record_;  // for the case lines and the closing table
};

}  // namespace eofzero::report
