#include "report/fstests_reporter.h"

#include "report/crash_states_report.h"

#include <spdlog/spdlog.h>

#include "report/human_reporter.h"
#include "report/record.h"
#include "report/tool_version.h"

namespace eofzero::report {

using oracles::Outcome;

void FstestsReporter::RunStarted(const std::string& kernel) {
  spdlog::info("{} on Linux {}", ToolIdentity(ThisTool()), kernel);
}

void FstestsReporter::ConfigReady(const ConfigInfo& config) {
  spdlog::info("{} on {}: {}{}", config.Label(), config.device, config.mkfs_command,
               config.mount_options.empty() ? "" : "; mount -o " + config.mount_options);
}

void FstestsReporter::ConfigFailed(const ConfigInfo&, const std::string& error) {
  out_ << "setup failed: " << error << "\n";
  out_.flush();
}

void FstestsReporter::CrashStatesDone(const ConfigInfo& config,
                                      const oracles::CrashStates& states) {
  out_ << CrashStatesName(states.case_name) << ": " << oracles::OutcomeName(states.outcome);
  if (states.outcome == Outcome::kPass) {
    out_ << "\n";
    return;
  }
  out_ << ": " << states.summary << "\n";
  if (states.outcome == Outcome::kFail) out_ << RenderCrashStatesEvidence(config, states);
}

void FstestsReporter::CaseDone(const ConfigInfo&, const CaseResult& result) {
  const CaseRecord& r = result.record();
  out_ << r.case_name << ": " << oracles::OutcomeName(r.outcome);
  switch (r.outcome) {
    case Outcome::kPass:
      out_ << "\n";
      break;
    case Outcome::kFail:
      out_ << ": " << r.summary << "\n" << r.evidence;
      break;
    case Outcome::kSkip:
    case Outcome::kError:
      out_ << ": " << r.summary << "\n";
      break;
  }
  for (const auto& note : r.notes) spdlog::info("{}: note: {}", r.case_name, note);
  out_.flush();
}

void FstestsReporter::Interrupted(int signo) {
  out_ << Interruption(signo) << "\n";
  out_.flush();
}

void FstestsReporter::Finish(double seconds) { spdlog::info("finished in {:.2f}s", seconds); }

}  // namespace eofzero::report
