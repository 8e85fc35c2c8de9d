// The crash model on real filesystems: the vocabulary means what xfs_io
// means (an unaligned write is refused through O_DIRECT and taken with
// RWF_DSYNC), language 1 keeps the old meaning, and `sweep` runs every tuple
// of a case to a verdict with its table and nothing left behind. No test
// asserts what a kernel does with the gap.
#include <regex>

#include <nlohmann/json.hpp>

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

// The hostile round: with --format json --output, stdout lost the sweep's
// tables and rerun commands, the JSON had no sweep fields, and `report` of
// it printed the verdict table only. Now stdout is the human report with or
// without --output, and `report` prints it again from the JSON alone.
TEST(Sweep, StdoutIsTheHumanReportWithAJsonOutputAndReportPrintsItAgain) {
  REQUIRE_ROOT();
  Workdir wd;
  const fs::path json_path = wd.path() / "sw.json";
  Ran ran = RunEofzeroWithTimeout({"sweep", "--fs", "ext4", "--case", "append_write", "--crash",
                                   "nologflush", "--sync", "none,fsync", "--distance",
                                   "next-block", "--workdir", wd.str(), "--format", "json",
                                   "--output", json_path.string()},
                                  300);
  ASSERT_FALSE(ran.timed_out);
  ASSERT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.exit_code << ran.err;
  EXPECT_NE(ran.out.find("sweep on ext4/4k: one column per primitive"), std::string::npos)
      << ran.out;
  EXPECT_NE(ran.out.find(" passed, "), std::string::npos) << ran.out;
  auto doc = nlohmann::ordered_json::parse(ReadFile(json_path), nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  EXPECT_EQ(doc["command"], "sweep");
  EXPECT_EQ(doc["sweep"]["primitives"], nlohmann::ordered_json::array({"none", "fsync"}));
  int tuples = 0;
  for (const auto& c : doc["configurations"])
    for (const auto& r : c["cases"]) {
      ASSERT_TRUE(r.contains("sweep")) << r["case"];
      const auto& t = r["sweep"];
      EXPECT_EQ(t["case"], "append_write");
      EXPECT_EQ(t["crash"], "nologflush");
      EXPECT_EQ(t["distance"], "next-block");
      EXPECT_GT(t["point"].get<int>(), 0);
      EXPECT_TRUE(t["rerun"].get<std::string>().starts_with(
          "eofzero sweep --fs ext4 --block-size 4096 --case append_write --sync "))
          << t.dump();
      ++tuples;
    }
  EXPECT_EQ(tuples, 2);
  Ran again = RunEofzero({"report", json_path.string()});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, ran.out) << "report printed:\n" << again.out << "\nthe sweep printed:\n"
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
