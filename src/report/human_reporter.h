// Plain-text results for a terminal: one line per case as it finishes, the
// evidence under each failure, and a closing "N passed, N failed" line.
#pragma once

#include <ostream>

#include "report/reporter.h"

namespace eofzero::report {

// The evidence block for a failing case: which oracle saw what, where, and a
// hexdump of the block with the sentinel (^^) and other non-zero bytes (**)
// in the gap marked.
std::string RenderEvidence(const ConfigInfo& config, const engine::CaseRun& run,
                           const oracles::Verdict& verdict);

class HumanReporter : public Reporter {
 public:
  explicit HumanReporter(std::ostream& out) : out_(out) {}
  void RunStarted(const std::string& kernel) override;
  void ConfigReady(const ConfigInfo& config) override;
  void ConfigFailed(const ConfigInfo& config, const std::string& error) override;
  void CaseDone(const ConfigInfo& config, const engine::CaseRun& run,
                const oracles::Verdict& verdict) override;
  void Finish(double seconds) override;

 private:
  std::ostream& out_;
  int counts_[4] = {0, 0, 0, 0};  // indexed by oracles::Outcome
};

}  // namespace eofzero::report
