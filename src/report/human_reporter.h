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

class HumanReporter : public Reporter {
 public:
  explicit HumanReporter(std::ostream& out, bool interactive = false)
      : out_(out), interactive_(interactive) {}
  void Planned(std::size_t cases) override { planned_ = cases; }
  void RunStarted(const std::string& kernel) override;
  void ConfigReady(const ConfigInfo& config) override;
  void ConfigFailed(const ConfigInfo& config, const std::string& error) override;
  void CaseStarted(const ConfigInfo& config, const std::string& case_name) override;
  void CaseDone(const ConfigInfo& config, const engine::CaseRun& run,
                const oracles::Verdict& verdict) override;
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
  RecordingReporter record_;  // for the closing table
  int counts_[4] = {0, 0, 0, 0};  // indexed by oracles::Outcome
};

}  // namespace eofzero::report
