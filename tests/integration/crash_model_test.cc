// The crash model on real filesystems: the vocabulary means what xfs_io
// means (an unaligned write is refused through O_DIRECT and taken with
// RWF_DSYNC), language 1 keeps the old meaning, and `sweep` runs every tuple
// of a case to a verdict with its table and nothing left behind. No test
// asserts what a kernel does with the gap.
#include <regex>

#include "harness.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;

// A case whose extension is `write` (one line), on ext4.
fs::path WriteCase(const fs::path& dir, const std::string& name, const std::string& write,
                   const std::string& fields = "language = 2\n") {
  fs::create_directories(dir);
  const fs::path file = dir / (name + ".toml");
  WriteFile(file, "name = \"" + name + "\"\npurpose = \"vocabulary\"\n" + fields +
                      "steps = '''\npwrite -S 0x5a 0 {eob}\nfsync\ntruncate {eof}\nfsync\nplant\n" +
                      write + "\nshutdown -f\ncycle_mount\ncheck gap\n'''\n");
  return file;
}

Ran RunCases(const Workdir& wd, const std::string& glob) {
  return RunEofzeroWithTimeout({"run", "--fs", "ext4", "--workdir", wd.str(), "--cases-dir",
                                (wd.path() / "cases").string(), "--case", glob},
                               300);
}

// O_DIRECT needs an aligned offset: a one-byte write at offset {eob + 1}
// fails with EINVAL on every kernel; the same line with -D (RWF_DSYNC) is a
// buffered write and runs.
TEST(Vocabulary, PwriteDashDIsRwfDsyncAndOpenDashDIsODirect) {
  REQUIRE_ROOT();
  Workdir wd;
  WriteCase(wd.path() / "cases", "v_rwf_dsync", "pwrite -D -S 0x42 {eob + 1} 1");
  WriteCase(wd.path() / "cases", "v_o_direct", "open -d main\npwrite -S 0x42 {eob + 1} 1");
  WriteCase(wd.path() / "cases", "v_language1", "pwrite -D -S 0x42 {eob + 1} 1",
            "language = 1\n");
  Ran ran = RunCases(wd, "v_*");
  ASSERT_FALSE(ran.timed_out);
  EXPECT_TRUE(std::regex_search(ran.out, std::regex("\n(PASS|FAIL|SKIP) +[0-9]+/3 +ext4/4k +v_rwf_dsync ")))
      << ran.out;
  EXPECT_TRUE(std::regex_search(ran.out, std::regex("\nERROR +[0-9]+/3 +ext4/4k +v_o_direct .*Invalid argument")))
      << ran.out;
  EXPECT_TRUE(std::regex_search(ran.out, std::regex("\nERROR +[0-9]+/3 +ext4/4k +v_language1 .*Invalid argument")))
      << "language 1's -D is O_DIRECT\n" << ran.out;
  ExpectNothingLeft(wd);
}

TEST(Vocabulary, AnUnmarkedCaseWhoseMeaningChangedIsRefused) {
  Workdir wd;
  const fs::path file = WriteCase(wd.path() / "cases", "v_unmarked", "pwrite -D 0 1", "");
  Ran ran = RunEofzero({"list", "--cases-dir", (wd.path() / "cases").string()});
  EXPECT_EQ(ran.exit_code, 2) << ran.out << ran.err;
  EXPECT_NE(ran.err.find(file.string() + ":9: 'pwrite -D' means RWF_DSYNC in case language 2"),
            std::string::npos)
      << ran.err;
}

TEST(Sweep, EveryTupleRunsToAVerdictWithTheTableAndACommandPerBreak) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzeroWithTimeout({"sweep", "--fs", "ext4", "--case", "append_write", "--crash",
                                   "logflush,nologflush", "--sync", "none,fsync,rwf_dsync",
                                   "--distance", "next-block,far", "--workdir", wd.str()},
                                  300);
  ASSERT_FALSE(ran.timed_out);
  EXPECT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.exit_code << ran.err;
  EXPECT_NE(ran.out.find(" passed, "), std::string::npos) << ran.out;
  EXPECT_EQ(LinesStartingWith(ran.out, "PASS").size() + LinesStartingWith(ran.out, "FAIL").size() +
                LinesStartingWith(ran.out, "SKIP").size(),
            3u * 2u * 2u)
      << ran.out;
  EXPECT_NE(ran.out.find("sweep on ext4/4k"), std::string::npos) << ran.out;
  EXPECT_TRUE(ran.out.find("no tuple broke an invariant") != std::string::npos ||
              ran.out.find("eofzero sweep --fs ext4") != std::string::npos)
      << ran.out;
  ExpectNothingLeft(wd);
}

// The crash model's positive control on a real filesystem: the sentinel
// planted into the gap through the file after the crash (the
// stale-after-crash fault) breaks "no stale bytes".
TEST(CrashModel, TheStaleAfterCrashFaultBreaksNoStaleBytes) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzeroWithTimeout({"run", "--fs", "ext4", "--case", "truncate_up",
                                   "--inject-fault", "stale-after-crash", "--workdir", wd.str()},
                                  300);
  EXPECT_EQ(ran.exit_code, 1) << ran.out << ran.err;
  EXPECT_NE(ran.out.find("invariant 'no stale bytes' (direct-read, after crash)"), std::string::npos)
      << ran.out;
  ExpectNothingLeft(wd);
}

}  // namespace
}  // namespace eofzero::itest
