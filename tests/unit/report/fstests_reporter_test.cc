#include "report/fstests_reporter.h"

#include <gtest/gtest.h>

#include <sstream>

#include "engine/sentinel.h"
#include "report/human_reporter.h"

namespace eofzero::report {
namespace {

ConfigInfo Config() {
  return {"xfs", 4096, "mkfs.xfs -f -q -K -b size=4096 -m uuid=U /dev/vdb", "", "/dev/vdb"};
}

engine::CaseRun MakeRun(const std::string& name, engine::RunStatus status,
                        std::string reason = "") {
  engine::CaseRun run;
  run.case_name = name;
  run.status = status;
  run.reason = std::move(reason);
  return run;
}

engine::CaseRun FailedRun() {
  engine::CaseRun run = MakeRun("append_write", engine::RunStatus::kCompleted);
  run.block_size = 4096;
  run.old_eof = 4080;
  run.seconds = 0.42;
  run.sizes = {{engine::Phase::kAfterCrash, 12, 8192, 8192}};
  run.plant = engine::PlantRecord{{0, 40960, 4096, 1}, 40960, 4096, true, true};
  engine::BlockView raw;
  raw.oracle = engine::Oracle::kRawDevice;
  raw.phase = engine::Phase::kAfterCrash;
  raw.base_offset = 40960;
  raw.bytes = engine::SentinelBlock(4096);
  raw.gap = {4080, 4096};
  run.views.push_back(raw);
  run.notes = {"a note that must not reach stdout"};
  return run;
}

// A run that passes: the FailedRun with a zero gap.
engine::CaseRun PassedRun(const std::string& name) {
  engine::CaseRun run = FailedRun();
  run.case_name = name;
  std::fill(run.views[0].bytes.begin() + 4080, run.views[0].bytes.end(), 0);
  return run;
}

std::string Report(const std::vector<engine::CaseRun>& runs) {
  std::ostringstream out;
  FstestsReporter reporter(out);
  reporter.RunStarted("6.18.0 x86_64");
  reporter.ConfigReady(Config());
  for (const auto& run : runs) reporter.CaseDone(Config(), run, oracles::Judge(run));
  reporter.Finish(12.5);
  return out.str();
}

TEST(FstestsReporter, AllPassIsOneLinePerCaseAndNothingElse) {
  ASSERT_EQ(oracles::Judge(PassedRun("x")).outcome, oracles::Outcome::kPass);
  EXPECT_EQ(Report({PassedRun("append_write"), PassedRun("fallocate"), PassedRun("truncate_up")}),
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

}  // namespace
}  // namespace eofzero::report
