#include "suite/run_suite.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <csignal>

#include "report/record.h"
#include "suite/fake_scratch.h"

namespace eofzero::suite {
namespace {

using oracles::Outcome;
using fsdriver::FsType;
using testing::Case;
using testing::FakeScratch;
using Log = std::vector<std::string>;

struct Suite {
  RunOptions options;
  std::vector<engine::CaseSpec> cases;
  FakeScratch scratch;
  report::RecordingReporter reporter;
  int signal = 0;

  std::vector<Outcome> Run() {
    spdlog::set_level(spdlog::level::warn);  // RunSuite says each case at info
    std::vector<const engine::CaseSpec*> pointers;
    for (const auto& c : cases) pointers.push_back(&c);
    return RunSuite(options, pointers, scratch, reporter, [this] { return signal; });
  }
  const report::RunRecord& record() const { return reporter.record(); }
  // "ext4/4k truncate_up PASS: <summary>" for every case, in report order.
  std::vector<std::string> Lines() const {
    std::vector<std::string> lines;
    for (const auto& c : record().configs)
      for (const auto& r : c.cases)
        lines.push_back(c.config.Short() + " " + r.case_name + " " +
                        oracles::OutcomeName(r.outcome) + ": " + r.summary);
    return lines;
  }
};

TEST(RunSuite, EachFilesystemAndBlockSizeIsOneScratchFsAndCasesForOthersAreSkipped) {
  Suite s;
  s.cases = {Case("append_write"), Case("reflink_extend", {FsType::kXfs}),
             Case("truncate_up_1k", {}, 1024)};
  auto outcomes = s.Run();
  EXPECT_EQ(outcomes.size(), 6u) << "every case on every filesystem";
  EXPECT_EQ(s.scratch.log,
            (Log{"open", "make ext4-1024", "ext4-1024: truncate_up_1k", "release ext4-1024",
                 "make ext4-4096", "ext4-4096: append_write", "release ext4-4096", "make xfs-1024",
                 "xfs-1024: truncate_up_1k", "release xfs-1024", "make xfs-4096",
                 "xfs-4096: append_write", "xfs-4096: reflink_extend", "release xfs-4096"}));
  const auto lines = s.Lines();
  EXPECT_NE(
      std::find(lines.begin(), lines.end(), "ext4/4k reflink_extend SKIP: the case is for xfs"),
      lines.end());
  ASSERT_EQ(s.record().configs.size(), 4u);
  EXPECT_EQ(s.record().configs[1].config.mkfs_command, "mkfs.ext4-4096 /dev/loop9");
  EXPECT_EQ(s.record().configs[1].config.device, "/dev/loop9");
}

TEST(RunSuite, MkfsOptionsThatSetTheBlockSizeSkipTheCasesThatNeedAnother) {
  Suite s;
  s.options.filesystems = {FsType::kExt4};
  s.options.mkfs_block_size = 4096;
  s.options.mkfs_options_from = "MKFS_OPTIONS";
  s.cases = {Case("append_write"), Case("truncate_up_1k", {}, 1024)};
  s.Run();
  EXPECT_EQ(s.scratch.log,
            (Log{"open", "make ext4-4096", "ext4-4096: append_write", "release ext4-4096"}));
  EXPECT_EQ(s.Lines()[0],
            "ext4/1k truncate_up_1k SKIP: MKFS_OPTIONS sets block size 4096; the case needs 1024");
}

TEST(RunSuite, AFilesystemTheKernelLacksIsASkipThatSaysWhyAndIsNeverMade) {
  Suite s;
  s.options.filesystems = {FsType::kXfs, FsType::kF2fs};
  s.scratch.lacking["f2fs"] = "this kernel has no f2fs";
  s.cases = {Case("append_write")};
  s.Run();
  EXPECT_EQ(s.scratch.log,
            (Log{"open", "make xfs-4096", "xfs-4096: append_write", "release xfs-4096"}));
  EXPECT_EQ(s.Lines(), (std::vector<std::string>{"xfs/4k append_write PASS: " +
                                                     s.record().configs[0].cases[0].summary,
                                                 "f2fs/4k append_write SKIP: this kernel has no f2fs"}));
}

TEST(RunSuite, ARunThatCannotTakeItsSpaceSaysWhyOnceAndEveryCaseIsAnError) {
  Suite s;
  s.options.filesystems = {FsType::kXfs};
  s.scratch.open_error = os::Error{os::ErrorKind::kSystem, ENOSPC, "mkdtemp /var/tmp/x"};
  s.cases = {Case("append_write"), Case("fallocate")};
  auto outcomes = s.Run();
  EXPECT_EQ(outcomes, (std::vector{Outcome::kError, Outcome::kError}));
  EXPECT_EQ(s.scratch.log, (Log{"open"}));
  ASSERT_EQ(s.record().configs.size(), 1u);
  EXPECT_EQ(s.record().configs[0].setup_error, s.scratch.open_error->Message());
  EXPECT_EQ(s.record().configs[0].cases[1].summary,
            "not run: the run could not be set up (see its setup error)");
}

TEST(RunSuite, AFilesystemThatCannotBeMadeSaysWhyOnceAndTheOthersStillRun) {
  Suite s;
  s.scratch.make_errors["ext4-4096"] = os::Error{os::ErrorKind::kSystem, 0, "mkfs.ext4 exited 1"};
  s.cases = {Case("append_write"), Case("fallocate")};
  auto outcomes = s.Run();
  EXPECT_EQ(outcomes,
            (std::vector{Outcome::kError, Outcome::kError, Outcome::kPass, Outcome::kPass}));
  ASSERT_EQ(s.record().configs.size(), 2u);
  EXPECT_EQ(s.record().configs[0].setup_error, "scratch ext4 bs=4096: mkfs.ext4 exited 1");
  EXPECT_EQ(s.record().configs[0].cases[0].summary,
            "not run: ext4 bs=4096 could not be set up (see its setup error)");
  EXPECT_TRUE(s.record().configs[1].setup_error.empty());
}

TEST(RunSuite, AnInterruptReportsEveryCaseStillToRunAsNotRunAndMakesNothingMore) {
  Suite s;
  s.cases = {Case("append_write"), Case("fallocate"), Case("truncate_up")};
  s.scratch.after_case = [&](const std::string& name) {
    if (name == "fallocate") s.signal = SIGINT;
  };
  auto outcomes = s.Run();
  EXPECT_EQ(outcomes.size(), 6u) << "every planned case is accounted for";
  EXPECT_EQ(s.scratch.log, (Log{"open", "make ext4-4096", "ext4-4096: append_write",
                                "ext4-4096: fallocate", "release ext4-4096"}))
      << "no filesystem is made after the signal";
  const auto lines = s.Lines();
  EXPECT_EQ(lines[2], "ext4/4k truncate_up ERROR: not run: interrupted by signal 2 (SIGINT)");
  EXPECT_EQ(lines[5], "xfs/4k truncate_up ERROR: not run: interrupted by signal 2 (SIGINT)");
  EXPECT_EQ(s.record().interrupted_by, SIGINT);
  EXPECT_EQ(report::NotRunCount(s.record()), 4u);
}

TEST(RunSuite, AnErrorAfterTheSignalIsACaseTheSignalStopped) {
  Suite s;
  s.options.filesystems = {FsType::kExt4};
  s.cases = {Case("append_write")};
  s.scratch.runs["append_write"] = [&](const engine::ScenarioOptions&) {
    s.signal = SIGTERM;  // mkfs or fsck got it too, and failed
    return report::sample::MakeRun("append_write", engine::RunStatus::kError, "fsck exited 8");
  };
  s.Run();
  ASSERT_EQ(s.record().configs.size(), 1u);
  EXPECT_TRUE(s.record().configs[0].cases[0].not_run);
  EXPECT_EQ(s.record().interrupted_by, SIGTERM);
}

TEST(RunSuite, KeepKeepsTheFilesystemOfAFailureOrAnErrorOnly) {
  Suite s;
  s.options.filesystems = {FsType::kXfs};
  s.options.keep = true;
  s.options.scenario.gap_bytes = 100;
  s.cases = {Case("append_write"), Case("fallocate")};
  s.scratch.runs["fallocate"] = [](const engine::ScenarioOptions& options) {
    EXPECT_EQ(options.gap_bytes, 100u) << "the run's scenario options reach the case";
    return report::sample::FailedRun();
  };
  s.Run();
  EXPECT_EQ(s.scratch.log, (Log{"open", "make xfs-4096", "xfs-4096: append_write",
                                "xfs-4096: fallocate", "keep xfs-4096", "release xfs-4096"}));
  // The kept failure's files stay for the post-mortem; the pass's go.
  EXPECT_EQ(s.scratch.forgotten, Log{"append_write"});
}

// Many cases share one mkfs (an exploration runs thousands): each judged
// case's files are removed, or the filesystem fills up; a recording keeps
// them for its crash states, judged from the log after the configuration.
TEST(RunSuite, EachJudgedCasesFilesAreRemovedUnlessRecorded) {
  Suite s;
  s.options.filesystems = {FsType::kExt4};
  s.cases = {Case("append_write"), Case("fallocate")};
  s.scratch.runs["fallocate"] = [](const engine::ScenarioOptions&) {
    return report::sample::FailedRun();
  };
  s.Run();
  EXPECT_EQ(s.scratch.forgotten, (Log{"append_write", "fallocate"}));
  Suite recorded;
  recorded.options.filesystems = {FsType::kExt4};
  recorded.options.record_dir = "/var/tmp/rec";
  recorded.cases = {Case("append_write")};
  recorded.Run();
  EXPECT_TRUE(recorded.scratch.forgotten.empty());
}

// A case that leaves its filesystem unusable (its device held by a mount
// that outlived ours: any mount would reuse the shut-down instance) is its
// own ERROR; the cases after it run on a new filesystem, not into the same
// failure one after another.
TEST(RunSuite, ACaseThatLeavesItsFilesystemUnusableIsFollowedByANewOne) {
  Suite s;
  s.options.filesystems = {FsType::kExt4};
  s.cases = {Case("append_write"), Case("fallocate"), Case("truncate_up")};
  s.scratch.runs["append_write"] = [](const engine::ScenarioOptions&) {
    return report::sample::MakeRun("append_write", engine::RunStatus::kError, "mount refused");
  };
  s.scratch.unusable_after["append_write"] = "/dev/loop9 is held by something else";
  auto outcomes = s.Run();
  EXPECT_EQ(outcomes, (std::vector{Outcome::kError, Outcome::kPass, Outcome::kPass}));
  EXPECT_EQ(s.scratch.log,
            (Log{"open", "make ext4-4096", "ext4-4096: append_write", "release ext4-4096",
                 "make ext4-4096-2", "ext4-4096-2: fallocate", "ext4-4096-2: truncate_up",
                 "release ext4-4096-2"}));
}

// When no new filesystem can be made, or the filesystem is a recording's
// (its crash states are judged on its log), the cases left are not run,
// each an ERROR that says why; nothing runs on the unusable one.
TEST(RunSuite, WhenNoNewFilesystemCanBeMadeTheCasesLeftAreNotRunAndSayWhy) {
  Suite s;
  s.options.filesystems = {FsType::kExt4};
  s.cases = {Case("append_write"), Case("fallocate")};
  s.scratch.unusable_after["append_write"] = "/dev/loop9 is held by something else";
  s.scratch.make_errors["ext4-4096-2"] = os::Error{os::ErrorKind::kSystem, 0, "mkfs.ext4 exited 1"};
  s.Run();
  auto lines = s.Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1],
            "ext4/4k fallocate ERROR: not run: the filesystem is unusable (/dev/loop9 is held by "
            "something else); a new one could not be made: mkfs.ext4 exited 1");
  Suite recorded;
  recorded.options.filesystems = {FsType::kExt4};
  recorded.options.record_dir = "/var/tmp/rec";
  recorded.cases = {Case("append_write"), Case("fallocate")};
  recorded.scratch.unusable_after["append_write"] = "/dev/loop9 is held by something else";
  recorded.Run();
  EXPECT_EQ(recorded.scratch.log,
            (Log{"open", "make ext4-4096", "ext4-4096: append_write", "release ext4-4096"}));
  lines = recorded.Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1],
            "ext4/4k fallocate ERROR: not run: the filesystem is unusable (/dev/loop9 is held by "
            "something else); a recording's filesystem is not made again");
}

}  // namespace
}  // namespace eofzero::suite
