// The race cases (cases/race_*.toml) on real ext4 and xfs. Like every
// integration test, these never assert what a kernel does: every race case
// runs to a verdict on both filesystems with nothing left behind, and a
// writer's lost sector (the lose-sector-write fault) is caught by the race
// checks on both.
#include <regex>

#include "harness.h"

namespace eofzero::itest {
namespace {

const char* const kRaceCases[] = {"race_mmap_append", "race_dio_hole", "race_dio_unwritten",
                                  "race_dio_nowait", "race_dio_read"};

TEST(RaceCases, EachRunsToAVerdictOnExt4AndXfs) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzeroWithTimeout({"run", "--workdir", wd.str(), "--case", "race_*"}, 900);
  std::cout << ran.out;  // this kernel's verdicts and times, for the log
  ASSERT_FALSE(ran.timed_out) << ran.out << ran.err;
  EXPECT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.exit_code << "\n" << ran.err;
  for (const char* name : kRaceCases)
    for (const char* fs : {"ext4", "xfs"}) {
      // A finding is a FAIL; reads that disagree are an ERROR that says so.
      std::regex verdict(std::string("\n(PASS|FAIL|SKIP|ERROR) +[0-9]+/[0-9]+ +") + fs +
                         "/[0-9]+k +" + name + " ");
      EXPECT_TRUE(std::regex_search(ran.out, verdict)) << fs << " " << name << "\n" << ran.out;
    }
  for (const auto& line : LinesStartingWith(ran.out, "ERROR"))
    EXPECT_NE(line.find("independent views disagree: line"), std::string::npos)
        << "an ERROR that is not a race_dio_read disagreement: " << line;
  ExpectNothingLeft(wd);
}

// Two writers into one block, one of whose writes the fault reports done
// and never makes: the race step (before the crash) and `check races` (after
// it) must both see its sector zero.
TEST(RaceCases, ALostWriterSectorIsAFailOnExt4AndXfs) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzeroWithTimeout({"run", "--workdir", wd.str(), "--case", "race_dio_hole",
                                   "--inject-fault", "lose-sector-write"},
                                  600);
  ASSERT_FALSE(ran.timed_out) << ran.out << ran.err;
  EXPECT_EQ(ran.exit_code, 1) << ran.out << ran.err;
  for (const char* fs : {"ext4", "xfs"}) {
    std::regex fail(std::string("\nFAIL +[0-9]+/[0-9]+ +") + fs +
                    "/[0-9]+k +race_dio_hole .*race: line [0-9]+ race_dio iteration 0: .* read "
                    "0x00 where the case wrote");
    EXPECT_TRUE(std::regex_search(ran.out, fail)) << fs << "\n" << ran.out;
  }
  EXPECT_GE(CountOccurrences(ran.out, "(buffered read, after the crash)"), 2) << ran.out;
  ExpectNothingLeft(wd);
}

}  // namespace
}  // namespace eofzero::itest
