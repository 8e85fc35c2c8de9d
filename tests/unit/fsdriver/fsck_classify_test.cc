#include "oracles/fsck_result.h"

#include <gtest/gtest.h>

#include "recorded_output.h"

namespace eofzero::oracles {
namespace {

using eofzero::testing::LoadRecorded;
using fsdriver::FsType;

FsckResult Classify(FsType tool, const std::string& fixture) {
  return ClassifyFsck(tool, LoadRecorded("fsck/" + fixture));
}

TEST(ClassifyFsck, E2fsckClean) {
  auto r = Classify(FsType::kExt4, "e2fsck_clean.txt");
  EXPECT_EQ(r.verdict, FsckVerdict::kClean) << r.reason;
}

TEST(ClassifyFsck, E2fsckCorruptKeepsTheEvidence) {
  auto r = Classify(FsType::kExt4, "e2fsck_corrupt.txt");
  EXPECT_EQ(r.verdict, FsckVerdict::kCorrupt) << r.reason;
  EXPECT_EQ(r.run.exit_code, 4);
  EXPECT_NE(r.run.out.find("Inode 12 ref count is 5, should be 1"), std::string::npos);
}

TEST(ClassifyFsck, E2fsckAbortingOnErrorsItMayNotFixIsCorruptNotAToolError) {
  auto r = Classify(FsType::kExt4, "e2fsck_corrupt_aborted.txt");
  EXPECT_EQ(r.run.exit_code, 12);
  EXPECT_EQ(r.verdict, FsckVerdict::kCorrupt) << r.reason;
  EXPECT_NE(r.run.out.find("directory corrupted"), std::string::npos);
}

TEST(ClassifyFsck, E2fsckUnreplayedJournalIsNotAFinding) {
  // e2fsck -fn exits 0 here but complains about counts the replay would fix.
  auto r = Classify(FsType::kExt4, "e2fsck_needs_recovery.txt");
  EXPECT_EQ(r.run.exit_code, 0);
  EXPECT_EQ(r.verdict, FsckVerdict::kNeedsJournalReplay) << r.reason;
  // And with exit 4, as other versions report it.
  auto run = LoadRecorded("fsck/e2fsck_needs_recovery.txt");
  run.exit_code = 4;
  EXPECT_EQ(ClassifyFsck(FsType::kExt4, run).verdict, FsckVerdict::kNeedsJournalReplay);
}

TEST(ClassifyFsck, E2fsckOnAMountedDeviceIsAToolError) {
  auto r = Classify(FsType::kExt4, "e2fsck_mounted.txt");
  EXPECT_EQ(r.verdict, FsckVerdict::kToolError) << r.reason;
}

TEST(ClassifyFsck, E2fsckOperationalError) {
  os::ProcessResult run{{"e2fsck", "-fn", "/dev/x"}, 8, 0, "", "e2fsck: No such file\n"};
  EXPECT_EQ(ClassifyFsck(FsType::kExt4, run).verdict, FsckVerdict::kToolError);
  run.exit_code = -1;
  run.term_signal = 9;
  EXPECT_EQ(ClassifyFsck(FsType::kExt4, run).verdict, FsckVerdict::kToolError);
}

TEST(ClassifyFsck, AKilledFsckSaysItWasKilledNotThatItExitedMinusOne) {
  os::ProcessResult run{{"e2fsck", "-fn", "/dev/x"}, -1, 9, "", ""};
  auto e2fsck = ClassifyFsck(FsType::kExt4, run);
  EXPECT_EQ(e2fsck.verdict, FsckVerdict::kToolError);
  EXPECT_EQ(e2fsck.reason, "e2fsck was killed by signal 9 (SIGKILL)");
  run.argv = {"xfs_repair", "-n", "/dev/x"};
  auto xfs = ClassifyFsck(FsType::kXfs, run);
  EXPECT_EQ(xfs.verdict, FsckVerdict::kToolError);
  EXPECT_EQ(xfs.reason, "xfs_repair was killed by signal 9 (SIGKILL)");
}

TEST(ClassifyFsck, XfsRepairClean) {
  auto r = Classify(FsType::kXfs, "xfs_repair_clean.txt");
  EXPECT_EQ(r.verdict, FsckVerdict::kClean) << r.reason;
}

TEST(ClassifyFsck, XfsRepairCorrupt) {
  auto r = Classify(FsType::kXfs, "xfs_repair_corrupt.txt");
  EXPECT_EQ(r.verdict, FsckVerdict::kCorrupt) << r.reason;
  EXPECT_NE(r.run.err.find("would have reset inode 131 nlinks from 7 to 1"), std::string::npos);
}

TEST(ClassifyFsck, XfsRepairDirtyLogIsNotAFinding) {
  auto r = Classify(FsType::kXfs, "xfs_repair_dirty_log.txt");
  EXPECT_EQ(r.run.exit_code, 1);  // xfsprogs 6.1; older ones exit 2
  EXPECT_EQ(r.verdict, FsckVerdict::kNeedsJournalReplay) << r.reason;
  os::ProcessResult old{{"xfs_repair", "-n", "/dev/x"},
                        2,
                        0,
                        "",
                        "ERROR: The filesystem has valuable metadata changes in a log which needs "
                        "to be replayed.\n"};
  EXPECT_EQ(ClassifyFsck(FsType::kXfs, old).verdict, FsckVerdict::kNeedsJournalReplay);
}

TEST(ClassifyFsck, XfsRepairOnAMountedDeviceIsAToolError) {
  auto r = Classify(FsType::kXfs, "xfs_repair_mounted.txt");
  EXPECT_EQ(r.run.exit_code, 1);  // the same code as corruption
  EXPECT_EQ(r.verdict, FsckVerdict::kToolError) << r.reason;
}

TEST(FsckNotRun, MissingToolIsASkip) {
  os::Error missing{os::ErrorKind::kUnsupported, 0, "xfs_repair not found in PATH"};
  auto r = FsckNotRun(FsType::kXfs, missing);
  EXPECT_EQ(r.verdict, FsckVerdict::kToolMissing);
  EXPECT_EQ(r.reason, "xfs_repair not found in PATH");
  os::Error spawn{os::ErrorKind::kSystem, EACCES, "spawn e2fsck"};
  EXPECT_EQ(FsckNotRun(FsType::kExt4, spawn).verdict, FsckVerdict::kToolError);
}

TEST(ClassifyFsck, BtrfsCheckRecorded) {
  auto clean = Classify(FsType::kBtrfs, "btrfs_check_clean.txt");
  EXPECT_EQ(clean.verdict, FsckVerdict::kClean) << clean.reason;
  auto corrupt = Classify(FsType::kBtrfs, "btrfs_check_corrupt.txt");
  EXPECT_EQ(corrupt.verdict, FsckVerdict::kCorrupt) << corrupt.reason;
  auto mounted = Classify(FsType::kBtrfs, "btrfs_check_mounted.txt");
  EXPECT_EQ(mounted.verdict, FsckVerdict::kToolError);
  EXPECT_EQ(mounted.reason, "btrfs check ran on a mounted filesystem");
  os::ProcessResult nothing;
  nothing.exit_code = 1;
  nothing.err = "ERROR: mount check: cannot open /x: No such file or directory\n";
  EXPECT_EQ(ClassifyFsck(FsType::kBtrfs, nothing).verdict, FsckVerdict::kToolError);
}

TEST(FsckArgv, NoModifyFlags) {
  using fsdriver::Driver;
  using fsdriver::FsckSource;
  EXPECT_EQ(Driver(FsType::kExt4).FsckArgv("/dev/loop9", FsckSource::kDevice),
            (std::vector<std::string>{"e2fsck", "-fn", "/dev/loop9"}));
  EXPECT_EQ(Driver(FsType::kXfs).FsckArgv("/dev/loop9", FsckSource::kDevice),
            (std::vector<std::string>{"xfs_repair", "-n", "/dev/loop9"}));
  EXPECT_EQ(Driver(FsType::kXfs).FsckArgv("/i.img", FsckSource::kImageFile),
            (std::vector<std::string>{"xfs_repair", "-n", "-f", "/i.img"}));
  EXPECT_EQ(Driver(FsType::kBtrfs).FsckArgv("/i.img", FsckSource::kImageFile),
            (std::vector<std::string>{"btrfs", "check", "--readonly", "/i.img"}));
}

}  // namespace
}  // namespace eofzero::oracles
