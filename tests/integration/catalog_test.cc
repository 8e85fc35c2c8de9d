// The whole case catalog on real ext4 and xfs. Like every integration test,
// these never assert what a kernel does: they assert that every case runs to
// a verdict, and that the positive controls make every case fail.
#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

#include "harness.h"

namespace eofzero::itest {
namespace {

// Case names as `eofzero list` prints them.
std::vector<std::string> CatalogNames() {
  Ran list = RunEofzero({"list"});
  std::vector<std::string> names;
  std::istringstream in(list.out);
  std::string marker, name;
  for (std::string line; std::getline(in, line);) {
    if (line.size() < 3 || line[0] == '(') continue;
    std::istringstream words(line.substr(2));
    if (words >> name) names.push_back(name);
  }
  return names;
}

TEST(Catalog, EveryCaseRunsToAVerdictOnExt4AndXfs) {
  REQUIRE_ROOT();
  const auto names = CatalogNames();
  ASSERT_GE(names.size(), 20u);
  Workdir wd;
  Ran ran = RunEofzero({"run", "--workdir", wd.str(), "--case", "*"});
  std::cout << ran.out;  // this kernel's verdicts, for the log
  EXPECT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.exit_code << "\n" << ran.err;
  for (const auto& name : names) {
    for (const char* fs : {"ext4", "xfs"}) {
      std::regex verdict(std::string("\n(PASS|FAIL|SKIP) +[0-9]+/[0-9]+ +") + fs + "/[0-9]+k +" +
                         name + " ");
      EXPECT_TRUE(std::regex_search(ran.out, verdict)) << fs << " " << name << "\n" << ran.out;
    }
  }
  EXPECT_TRUE(LinesStartingWith(ran.out, "ERROR").empty()) << ran.out;
  ExpectNothingLeft(wd);
}

class CatalogPositiveControl : public testing::TestWithParam<const char*> {};

// With the sentinel put back behind the filesystem's back after the crash, or
// left in the page cache before it, or over a directory block (for fsck), no
// case may pass: each one's oracles must see it. (Cases that do not apply to a filesystem are skipped, never passed.)
TEST_P(CatalogPositiveControl, NoCasePasses) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran =
      RunEofzero({"run", "--workdir", wd.str(), "--case", "*", "--inject-fault", GetParam()});
  EXPECT_EQ(ran.exit_code, 1) << ran.out << ran.err;
  EXPECT_TRUE(LinesStartingWith(ran.out, "PASS").empty()) << ran.out;
  EXPECT_TRUE(LinesStartingWith(ran.out, "ERROR").empty()) << ran.out;
  // Every case on both filesystems is a FAIL, or a SKIP (a case for the other
  // filesystem, an operation this one does not offer): at least the three
  // generic/790 cases run everywhere.
  EXPECT_EQ(LinesStartingWith(ran.out, "FAIL").size() + LinesStartingWith(ran.out, "SKIP").size(),
            2 * CatalogNames().size())
      << ran.out;
  EXPECT_GE(LinesStartingWith(ran.out, "FAIL").size(), 6u) << ran.out;
  ExpectNothingLeft(wd);
}

INSTANTIATE_TEST_SUITE_P(Faults, CatalogPositiveControl,
                         testing::Values("stale-after-crash", "stale-in-cache",
                                         "corrupt-directory-after-crash",
                                         "cache-disagrees-with-disk"),
                         [](const auto& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

// A user's own folder of cases: a good case runs; a bad one is a FILE:LINE
// error, exit 2, before anything is created.
TEST(UserCases, AGoodCaseRunsAndABadOneStopsEverythingWithFileAndLine) {
  REQUIRE_ROOT();
  Workdir wd;
  const auto dir = wd.path() / "mine";
  std::filesystem::create_directory(dir);
  WriteFile(dir / "my_truncate.toml", R"(name = "my_truncate"
purpose = "truncate up by three blocks"
steps = '''
pwrite -S 0x5a 0 {eob}
fsync
truncate {eof}
fsync
plant
truncate {eob + 3 * bs}
check gap
shutdown -f
cycle_mount
expect size {eob + 3 * bs}
check gap
'''
)");
  Ran ran = RunEofzero({"run", "--workdir", wd.str(), "--fs", "ext4", "--cases-dir",
                        dir.string(), "--case", "my_*"});
  EXPECT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.out << ran.err;
  EXPECT_TRUE(std::regex_search(ran.out, std::regex("\n(PASS|FAIL) +1/1 +ext4/4k +my_truncate ")))
      << ran.out;

  WriteFile(dir / "my_bad.toml", R"(name = "my_bad"
purpose = "a typo on line 5"
steps = '''
plant
trunc {eob}
'''
)");
  const auto before = wd.Contents();
  ran = RunEofzero({"run", "--workdir", wd.str(), "--cases-dir", dir.string()});
  EXPECT_EQ(ran.exit_code, 2) << ran.out << ran.err;
  EXPECT_EQ(ran.err, "eofzero: " + (dir / "my_bad.toml").string() +
                         ":5: unknown command 'trunc'\n");
  EXPECT_EQ(ran.out, "");
  EXPECT_EQ(wd.Contents(), before) << "nothing may be created for a bad case file";
  ExpectNothingLeft(wd);
}

}  // namespace
}  // namespace eofzero::itest

namespace eofzero::itest {
namespace {

class Selftest : public testing::TestWithParam<const char*> {};

// Every oracle must detect the fault meant for it. A filesystem that fails
// the baseline case itself makes the controls inconclusive ("?", exit 1):
// that is a finding about the kernel, not a broken oracle, so only a "NO" or a
// setup failure fails this test.
TEST_P(Selftest, EveryOracleDetectsItsFault) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzero({"selftest", "--workdir", wd.str(), "--block-size", GetParam()});
  std::cout << ran.out;
  EXPECT_TRUE(ran.exit_code == 0 ||
              (ran.exit_code == 1 &&
               ran.out.find("did not pass, so the controls") != std::string::npos))
      << ran.out << ran.err;
  EXPECT_EQ(CountOccurrences(ran.out, " NO "), 0) << ran.out;
  EXPECT_EQ(LinesStartingWith(ran.out, "oracle (phase) detects").size(), 1u) << ran.out;
  if (ran.exit_code == 0) {
    EXPECT_EQ(CountOccurrences(ran.out, " yes "), 28) << ran.out;  // 14 checks x 2 filesystems
  }
  ExpectNothingLeft(wd);
}

INSTANTIATE_TEST_SUITE_P(BlockSizes, Selftest, testing::Values("4096", "1024"),
                         [](const auto& info) { return std::string("bs") + info.param; });

}  // namespace
}  // namespace eofzero::itest
