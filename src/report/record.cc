#include "report/record.h"

#include <algorithm>
#include <ctime>

#include "os/process.h"
#include "report/crash_states_report.h"
#include "report/human_reporter.h"
#include "report/json_report.h"

namespace eofzero::report {

CaseRecord MakeCaseRecord(const ConfigInfo& config, const engine::CaseRun& run,
                          const oracles::Verdict& verdict) {
  CaseRecord r;
  r.case_name = run.case_name;
  r.case_file = run.case_file;
  r.outcome = verdict.outcome;
  r.summary = verdict.summary;
  r.reason = run.reason;
  if (verdict.outcome == oracles::Outcome::kFail) r.evidence = RenderEvidence(config, run, verdict);
  r.notes = run.notes;
  for (oracles::FindingKind k : verdict.kinds) r.findings.push_back(oracles::FindingKindName(k));
  r.seconds = run.seconds;
  r.detail = CaseDetail(run, verdict);
  r.not_run = run.interrupted;
  return r;
}

const CaseRecord& CaseResult::record() const {
  if (!record_) record_ = MakeCaseRecord(config_, run_, verdict_);
  return *record_;
}

std::string ReportKind(const RunRecord& record) {
  if (!record.command.empty()) return record.command;
  bool named = false;
  for (const auto& c : record.configs) {
    if (c.guest) return "kernels";
    named |= !c.config.name.empty();
  }
  return named ? "matrix" : "run";
}

std::string Interruption(int signo) { return "interrupted by " + os::DescribeSignal(signo); }

CaseRecord NotRunRecord(const std::string& case_name, const std::string& why) {
  CaseRecord r;
  r.case_name = case_name;
  r.outcome = oracles::Outcome::kError;
  r.summary = "not run: " + why;
  r.reason = why;
  r.not_run = true;
  return r;
}

std::size_t NotRunCount(const RunRecord& record) {
  std::size_t n = 0;
  for (const auto& c : record.configs)
    for (const auto& r : c.cases) n += r.not_run;
  return n;
}

std::string InterruptionSummary(const RunRecord& record) {
  const std::size_t n = NotRunCount(record);
  return Interruption(record.interrupted_by) + ": " +
         (n ? std::to_string(n) + (n == 1 ? " case" : " cases") + " did not run"
            : "every case ran");
}

std::string UtcNow() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

ConfigRecord& RecordingReporter::Config(const ConfigInfo& config) {
  for (auto& c : record_.configs)
    if (c.config.Label() == config.Label()) return c;
  record_.configs.push_back({config, "", {}});
  return record_.configs.back();
}

void RecordingReporter::RunStarted(const std::string& kernel) {
  record_.tool = ThisTool();
  record_.kernel = kernel;
  record_.started = UtcNow();
}

void RecordingReporter::ConfigReady(const ConfigInfo& config) { Config(config).config = config; }

void RecordingReporter::ConfigFailed(const ConfigInfo& config, const std::string& error) {
  Config(config).setup_error = error;
}

void RecordingReporter::CaseDone(const ConfigInfo& config, const CaseResult& result) {
  auto& cases = Config(config).cases;
  cases.push_back(result.record());
  last_ = &cases.back();
}

void RecordingReporter::CrashStatesDone(const ConfigInfo& config,
                                        const oracles::CrashStates& states) {
  auto& cases = Config(config).cases;
  cases.push_back(MakeCrashStatesRecord(config, states));
  last_ = &cases.back();
}

void RecordingReporter::Interrupted(int signo) { record_.interrupted_by = signo; }

void RecordingReporter::Finish(double seconds) { record_.seconds = seconds; }

void FanOutReporter::CrashStatesDone(const ConfigInfo& config,
                                     const oracles::CrashStates& states) {
  for (auto* r : to_) r->CrashStatesDone(config, states);
}
void FanOutReporter::Planned(std::size_t cases) {
  for (auto* r : to_) r->Planned(cases);
}
void FanOutReporter::RunStarted(const std::string& kernel) {
  for (auto* r : to_) r->RunStarted(kernel);
}
void FanOutReporter::ConfigReady(const ConfigInfo& config) {
  for (auto* r : to_) r->ConfigReady(config);
}
void FanOutReporter::ConfigFailed(const ConfigInfo& config, const std::string& error) {
  for (auto* r : to_) r->ConfigFailed(config, error);
}
void FanOutReporter::CaseStarted(const ConfigInfo& config, const std::string& case_name) {
  for (auto* r : to_) r->CaseStarted(config, case_name);
}
void FanOutReporter::CaseDone(const ConfigInfo& config, const CaseResult& result) {
  for (auto* r : to_) r->CaseDone(config, result);
}
void FanOutReporter::Interrupted(int signo) {
  for (auto* r : to_) r->Interrupted(signo);
}
void FanOutReporter::Finish(double seconds) {
  for (auto* r : to_) r->Finish(seconds);
}

}  // namespace eofzero::report
