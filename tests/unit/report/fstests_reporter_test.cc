#include "report/fstests_reporter.h"

#include <gtest/gtest.h>

#include <sstream>

#include "report/human_reporter.h"
#include "report/record.h"
#include "sample_runs.h"

namespace eofzero::report {
namespace {

ConfigInfo Config() {
  return {"xfs", 4096, "mkfs.xfs -f -q -K -b size=4096 -m uuid=U /dev/vdb", "", "/dev/vdb"};
}

using sample::FailedRun;
using sample::MakeRun;
using sample::PassedRun;

std::string Report(const std::vector<engine::CaseRun>& runs) {
  std::ostringstream out;
  FstestsReporter reporter(out);
  reporter.RunStarted("6.18.0 x86_64");
  reporter.ConfigReady(Config());
  for (const auto& run : runs) reporter.CaseDone(Config(), CaseResult(Config(), run, oracles::Judge(run)));
  reporter.Finish(12.5);
  return out.str();
}

TEST(FstestsReporter, AllPassIsOneLinePerCaseAndNothingElse) {
  auto noted = PassedRun("truncate_up");
  noted.notes = {"a note that must not reach stdout"};
  ASSERT_EQ(oracles::Judge(PassedRun("x")).outcome, oracles::Outcome::kPass);
  EXPECT_EQ(Report({PassedRun("append_write"), PassedRun("fallocate"), noted}),
            "append_write: PASS\nfallocate: PASS\ntruncate_up: PASS\n");
}

TEST(FstestsReporter, FailIsTheSummaryThenTheEvidence) {
  auto run = FailedRun();
  auto verdict = oracles::Judge(run);
  ASSERT_EQ(verdict.outcome, oracles::Outcome::kFail);
  EXPECT_EQ(Report({run, PassedRun("fallocate")}), "append_write: FAIL: " + verdict.summary + "\n" +
                                                       RenderEvidence(Config(), run, verdict) +
                                                       "fallocate: PASS\n");
}

TEST(FstestsReporter, SkipAndErrorGiveTheirReason) {
  EXPECT_EQ(Report({MakeRun("fallocate", engine::RunStatus::kSkipped,
                            "fallocate: Operation not supported"),
                    MakeRun("truncate_up", engine::RunStatus::kError, "plant not verified")}),
            "fallocate: SKIP: fallocate: Operation not supported\n"
            "truncate_up: ERROR: plant not verified\n");
}

TEST(FstestsReporter, ConfigurationThatCouldNotBeMadeIsSetupFailed) {
  std::ostringstream out;
  FstestsReporter reporter(out);
  reporter.ConfigFailed(Config(), "scratch xfs bs=4096: mkfs.xfs exited 1: too small");
  EXPECT_EQ(out.str(), "setup failed: scratch xfs bs=4096: mkfs.xfs exited 1: too small\n");
}

TEST(FstestsReporter, AnInterruptedRunSaysSoAfterItsCasesThatDidNotRun) {
  std::ostringstream out;
  FstestsReporter reporter(out);
  reporter.CaseDone(Config(), CaseResult(Config(), PassedRun("append_write"), oracles::Judge(PassedRun("append_write"))));
  auto not_run = sample::NotRunRun("truncate_up");
  reporter.CaseDone(Config(), CaseResult(Config(), not_run, oracles::Judge(not_run)));
  reporter.Interrupted(2);
  reporter.Finish(1.0);
  EXPECT_EQ(out.str(),
            "append_write: PASS\n"
            "truncate_up: ERROR: not run: interrupted by signal 2 (SIGINT)\n"
            "interrupted by signal 2 (SIGINT)\n");
}

// A case's crash states are a line of their own, the failing state's
// evidence and rebuild command after it.
TEST(FstestsReporter, CrashStatesAreALineOfTheirOwn) {
  std::ostringstream out;
  FstestsReporter reporter(out);
  reporter.ConfigReady(Config());
  oracles::CrashStates states;
  states.case_name = "truncate_up";
  states.log = "/r/xfs-4096.ezlog";
  states.first_barrier = 15;
  states.last_barrier = 17;
  oracles::CheckedState failed;
  failed.address = "16:0";
  failed.outcome = oracles::Outcome::kFail;
  failed.summary = "the filesystem did not mount this crash state";
  states.states = {failed};
  oracles::JudgeCrashStates(states);
  reporter.CrashStatesDone(Config(), states);
  const std::string text = out.str();
  EXPECT_EQ(text.rfind("truncate_up@states: FAIL: 1 crash states after barriers 15 to 17", 0), 0u)
      << text;
  EXPECT_NE(text.find("rebuild: eofzero log replay /r/xfs-4096.ezlog --state 16:0"),
            std::string::npos)
      << text;
}

// A case's record is made once and handed to every reporter: each shows
// the evidence of the record it was given, none renders it again.
TEST(CaseResult, ItsRecordIsMadeOnceForEveryReporter) {
  const engine::CaseRun run = FailedRun();
  const oracles::Verdict verdict = oracles::Judge(run);
  CaseRecord made = MakeCaseRecord(Config(), run, verdict);
  ASSERT_FALSE(made.evidence.empty());
  made.evidence = "    the evidence, rendered once\n";
  const CaseResult result(Config(), run, verdict, made);
  EXPECT_EQ(&result.record(), &result.record());
  std::ostringstream human_out, fstests_out;
  HumanReporter human(human_out);
  FstestsReporter fstests(fstests_out);
  RecordingReporter recording;
  FanOutReporter all({&human, &fstests, &recording});
  all.RunStarted("6.18.0 x86_64");
  all.ConfigReady(Config());
  all.CaseDone(Config(), result);
  all.Finish(1);
  EXPECT_NE(human_out.str().find(made.evidence), std::string::npos) << human_out.str();
  EXPECT_NE(fstests_out.str().find(made.evidence), std::string::npos) << fstests_out.str();
  EXPECT_EQ(recording.record().configs.at(0).cases.at(0).evidence, made.evidence);
  // Made on first use otherwise, and then kept.
  const CaseResult fresh(Config(), run, verdict);
  EXPECT_EQ(fresh.record().evidence, MakeCaseRecord(Config(), run, verdict).evidence);
  EXPECT_EQ(&fresh.record(), &fresh.record());
}

}  // namespace
}  // namespace eofzero::report
