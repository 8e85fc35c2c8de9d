#include "report/human_reporter.h"

#include <gtest/gtest.h>

#include <sstream>

#include "report/json_report.h"
#include "sample_runs.h"

namespace eofzero::report {
namespace {

ConfigInfo Config() {
  return {"xfs", 4096, "mkfs.xfs -f -q -K -b size=4096 -m uuid=U /dev/loop9", "", "/dev/loop9"};
}

using sample::FailedRun;

TEST(RenderEvidence, NamesCaseConfigOracleRangeAndMarksTheSentinel) {
  auto run = FailedRun();
  auto verdict = oracles::Judge(run);
  ASSERT_EQ(verdict.outcome, oracles::Outcome::kFail);
  std::string text = RenderEvidence(Config(), run, verdict);
  for (const char* want :
       {"case append_write on xfs bs=4096 (/dev/loop9)", "mkfs: mkfs.xfs -f -q -K",
        "mount options: (defaults)", "raw-device (after crash): 16 of 16 gap bytes non-zero",
        "(16 are sentinel) at block offsets [4080, 4096)", "device offset 40960",
        "0000aff0  45 4f 46 5a", "^^ ^^ ^^ ^^ ^^ ^^ ^^ ^^  ^^ ^^ ^^ ^^ ^^ ^^ ^^ ^^"})
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
}

TEST(RenderEvidence, OtherNonZeroBytesAreMarkedDifferently) {
  auto run = FailedRun();
  std::fill(run.views[0].bytes.begin(), run.views[0].bytes.end(), 0);
  run.views[0].bytes[4090] = 0x5a;
  auto verdict = oracles::Judge(run);
  std::string text = RenderEvidence(Config(), run, verdict);
  EXPECT_NE(text.find("**"), std::string::npos) << text;
  EXPECT_NE(text.find("(0 are sentinel)"), std::string::npos) << text;
}

// An oracle's read of the EOF block and the crash model's read-back of the
// file are told apart: the read-back's line says what it read.
TEST(RenderEvidence, SaysWhichInvariantLineIsTheCrashModelsReadBack) {
  auto run = FailedRun();
  oracles::Verdict verdict = oracles::Judge(run);
  oracles::InvariantBreak oracle{oracles::Invariant::kNoStaleBytes, engine::Oracle::kDirectRead,
                                 engine::Phase::kAfterCrash, 4080, 16, "seen"};
  oracles::InvariantBreak read_back = oracle;
  read_back.read_back = ByteRange{0, 8192};
  read_back.count = 20;
  verdict.invariants = {oracle, read_back};
  const std::string text = RenderEvidence(Config(), run, verdict);
  EXPECT_NE(text.find("\n    invariant 'no stale bytes' (direct-read, after crash): seen\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\n    invariant 'no stale bytes' (read back by the crash model: "
                      "direct-read of [0, 8192), after crash): seen\n"),
            std::string::npos)
      << text;
}

// The marks are the gap oracle's classification (oracles::GapFinding::ByteAt):
// a byte it did not count (zero, or data the case wrote there itself) is not
// marked, however it looks.
TEST(RenderEvidence, MarksAreTheCheckersClassificationOfEachByte) {
  auto run = FailedRun();
  auto& bytes = run.views[0].bytes;
  bytes[4084] = 0;
  bytes[4090] = 0x01;
  run.views[0].written = {{{4094, 4096}, {bytes[4094], bytes[4095]}}};
  auto verdict = oracles::Judge(run);
  ASSERT_EQ(verdict.outcome, oracles::Outcome::kFail);
  const std::string text = RenderEvidence(Config(), run, verdict);
  EXPECT_NE(text.find("13 of 16 gap bytes non-zero (12 are sentinel)"), std::string::npos) << text;
  EXPECT_NE(text.find("      0000aff0  45 4f 46 5a 00 52 4f 2d  53 45 01 54 49 4e 45 4c"
                      "  |EOFZ.RO-SE.TINEL|\n"
                      "                ^^ ^^ ^^ ^^    ^^ ^^ ^^  ^^ ^^ ** ^^ ^^ ^^\n"),
            std::string::npos)
      << text;
}

TEST(HumanReporter, OneLinePerCaseWithItsPlaceThenTheTableAndAClosingCount) {
  std::ostringstream out;
  HumanReporter reporter(out);
  reporter.Planned(2);
  reporter.ConfigReady(Config());
  auto run = FailedRun();
  reporter.CaseDone(Config(), CaseResult(Config(), run, oracles::Judge(run)));
  engine::CaseRun skipped;
  skipped.case_name = "fallocate";
  skipped.status = engine::RunStatus::kSkipped;
  skipped.reason = "fallocate: Operation not supported";
  reporter.CaseDone(Config(), CaseResult(Config(), skipped, oracles::Judge(skipped)));
  reporter.Finish(1.5);
  std::string text = out.str();
  EXPECT_NE(text.find("FAIL  1/2     xfs/4k   append_write"), std::string::npos) << text;
  EXPECT_NE(text.find("SKIP  2/2     xfs/4k   fallocate"), std::string::npos) << text;
  EXPECT_NE(text.find("\ncase          xfs/4k\nappend_write  FAIL\nfallocate     skip\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("\033["), std::string::npos) << "no terminal codes when not interactive";
  EXPECT_NE(text.find("\n0 passed, 1 failed, 1 skipped, 0 errors in 1.50s\n"), std::string::npos)
      << text;
}

TEST(HumanReporter, TheHeaderNamesTheEofzeroThatRunsAndTheKernel) {
  std::ostringstream out;
  HumanReporter reporter(out);
  reporter.RunStarted("6.18.0 x86_64");
  EXPECT_EQ(out.str(), ToolIdentity(ThisTool()) + " on Linux 6.18.0 x86_64\n");
  EXPECT_TRUE(out.str().starts_with("eofzero " + ThisTool().version + " ")) << out.str();
}

TEST(HumanReporter, AnInterruptedRunSaysSoInTheTableAndTheClosingLine) {
  std::ostringstream out;
  HumanReporter reporter(out);
  reporter.Planned(3);
  reporter.ConfigReady(Config());
  for (auto run : {sample::PassedRun("append_write"), sample::NotRunRun("fallocate"),
                   sample::NotRunRun("truncate_up")})
    reporter.CaseDone(Config(), CaseResult(Config(), run, oracles::Judge(run)));
  reporter.Interrupted(2);
  reporter.Finish(1.5);
  const std::string text = out.str();
  EXPECT_NE(text.find("ERROR 3/3     xfs/4k   truncate_up                    0.00s  "
                      "not run: interrupted by signal 2 (SIGINT)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\ntruncate_up   ERROR\n"
                      "interrupted by signal 2 (SIGINT); did not run:\n"
                      "  xfs/4k: fallocate, truncate_up\n"),
            std::string::npos)
      << text;
  EXPECT_TRUE(text.ends_with("\n1 passed, 0 failed, 0 skipped, 2 errors in 1.50s; interrupted by "
                             "signal 2 (SIGINT): 2 cases did not run\n"))
      << text;
}

TEST(HumanReporter, OnATerminalATransientLineNamesTheRunningCase) {
  std::ostringstream out;
  HumanReporter reporter(out, /*interactive=*/true);
  reporter.Planned(3);
  reporter.CaseStarted(Config(), "append_write");
  EXPECT_NE(out.str().find("running 1/3 xfs/4k append_write ..."), std::string::npos) << out.str();
  auto run = FailedRun();
  reporter.CaseDone(Config(), CaseResult(Config(), run, oracles::Judge(run)));
  EXPECT_NE(out.str().find("\r\033[KFAIL  1/3"), std::string::npos) << "erased before the result";
}

// The hostile round: `report run.json` printed only the verdict table, no
// case lines, evidence or totals. Whatever the human report printed while the
// run went, the JSON holds, and `report` prints it again, line for line.
TEST(HumanReport, ASavedReportReadsAsTheRunPrintedIt) {
  std::ostringstream out;
  HumanReporter human(out);
  RecordingReporter recording;
  FanOutReporter reporter({&recording, &human});
  reporter.Planned(4);
  reporter.RunStarted("6.18.0-test");
  reporter.ConfigReady(Config());
  auto failed = FailedRun();
  reporter.CaseDone(Config(), CaseResult(Config(), failed, oracles::Judge(failed)));
  auto passed = sample::PassedRun("truncate_up");
  passed.notes = {"the extension reached the disk"};
  passed.seconds = 0.25;
  reporter.CaseDone(Config(), CaseResult(Config(), passed, oracles::Judge(passed)));
  oracles::CrashStates states;
  states.case_name = "append_write";
  states.log = "/r/xfs-4096.ezlog";
  states.not_run = "interrupted by signal 2 (SIGINT)";
  oracles::JudgeCrashStates(states);
  reporter.CrashStatesDone(Config(), states);
  ConfigInfo ext4{"ext4", 4096, "", "", ""};
  reporter.ConfigFailed(ext4, "mkfs.ext4 failed: exit 1");
  for (auto run : {sample::NotRunRun("append_write"), sample::NotRunRun("truncate_up")})
    reporter.CaseDone(ext4, CaseResult(ext4, run, oracles::Judge(run)));
  reporter.Interrupted(2);
  reporter.Finish(1.5);
  auto read = RunRecordFromJson(ToJson(recording.record()));
  ASSERT_TRUE(read) << read.error();
  EXPECT_EQ(RenderHumanReport(*read), out.str());
  for (const char* want : {"FAIL  1/4     xfs/4k   append_write", "^^ ^^ ^^ ^^",
                           "    note: the extension reached the disk\n",
                           "ERROR states  xfs/4k   append_write@states",
                           "== ext4 bs=4096: could not set up: mkfs.ext4 failed: exit 1\n",
                           "1 passed, 1 failed, 0 skipped, 3 errors in 1.50s"})
    EXPECT_NE(out.str().find(want), std::string::npos) << want << "\n" << out.str();
}

TEST(ConfigInfo, AMatrixNameReplacesTheGeometryInShortLabels) {
  ConfigInfo c = Config();
  EXPECT_EQ(c.Short(), "xfs/4k");
  EXPECT_EQ(c.Label(), "xfs bs=4096");
  c.name = "xfs-reflink0";
  EXPECT_EQ(c.Short(), "xfs-reflink0");
  EXPECT_EQ(c.Label(), "xfs-reflink0 (xfs bs=4096)");
}

}  // namespace
}  // namespace eofzero::report
