// Results for fstests' golden-output diff: stdout holds only what is the same
// on every run that passes — one "<case>: PASS" line per case, in run order —
// so a drop-in fstests test matches its .out file exactly when every case
// passes. Anything else is printed so that fstests' diff shows it:
//   <case>: FAIL: <verdict summary>    followed by the evidence
//   <case>: SKIP: <reason>
//   <case>: ERROR: <summary>
//   setup failed: <error>              (a configuration that could not be made)
//   interrupted by signal 2 (SIGINT)   (its cases that did not run are ERRORs)
// No header, timings or totals. Notes and configurations go to spdlog (info).
// Meant for one configuration (fstests' FSTYP): lines name the case only.
#pragma once

#include <ostream>

#include "report/reporter.h"

namespace eofzero::report {

class FstestsReporter : public Reporter {
 public:
  explicit FstestsReporter(std::ostream& out) : out_(out) {}
  void RunStarted(const std::string& kernel) override;
  void CrashStatesDone(const ConfigInfo& config, const oracles::CrashStates& states) override;
  void ConfigReady(const ConfigInfo& config) override;
  void ConfigFailed(const ConfigInfo& config, const std::string& error) override;
  void CaseDone(const ConfigInfo& config, const CaseResult& result) override;
  void Interrupted(int signo) override;
  void Finish(double seconds) override;

 private:
  std::ostream& out_;
};

}  // namespace eofzero::report
