// The scenario end to end on real ext4 and xfs, through the real binary.
// These tests never assert what a kernel does: a FAIL verdict is a finding,
// not a test failure. They assert that the tool looked, and that each of its
// oracles can see a planted sentinel (the positive control).
#include <gtest/gtest.h>

#include <iostream>
#include <regex>

#include "harness.h"

namespace eofzero::itest {
namespace {

TEST(DefaultSuite, GivesAVerdictForEveryCaseOnExt4AndXfs) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzero({"run", "--workdir", wd.str()});
  std::cout << ran.out << ran.err;  // the verdicts of this kernel, for the log
  EXPECT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.exit_code << "\n" << ran.err;
  for (const char* fs : {"ext4", "xfs"}) {
    for (const char* c : {"append_write", "truncate_up", "fallocate"}) {
      std::regex verdict(std::string("\n(PASS|FAIL) +[0-9]/6 +") + fs + "/4k +" + c + " ");
      EXPECT_TRUE(std::regex_search(ran.out, verdict)) << fs << " " << c << "\n" << ran.out;
    }
  }
  EXPECT_EQ(CountOccurrences(ran.out, "ERROR"), 0) << ran.out;
  EXPECT_TRUE(std::regex_search(ran.out, std::regex("\n[0-9]+ passed, [0-9]+ failed, 0 skipped, "
                                                    "0 errors in [0-9.]+s\n$")))
      << ran.out;
  ExpectNothingLeft(wd);
  EXPECT_TRUE(wd.Contents().empty());
}

struct Config {
  const char* fs;
  const char* block_size;
};

void PrintTo(const Config& c, std::ostream* os) { *os << c.fs << " bs=" << c.block_size; }

class PositiveControl : public testing::TestWithParam<Config> {};

// After the filesystem has zeroed and persisted the gap and come back from
// the crash, the sentinel is planted again behind its back: every after-crash
// oracle (O_DIRECT, mmap, buffered, raw device) must report it, in every case.
TEST_P(PositiveControl, EveryAfterCrashOracleSeesASentinelPlantedBehindTheFilesystem) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzero({"run", "--workdir", wd.str(), "--fs", GetParam().fs, "--block-size",
                        GetParam().block_size, "--inject-fault", "stale-after-crash"});
  EXPECT_EQ(ran.exit_code, 1) << ran.out << ran.err;
  EXPECT_EQ(LinesStartingWith(ran.out, "FAIL ").size(), 3u) << ran.out;
  for (const char* oracle : {"direct-read", "mmap", "buffered-read", "raw-device", "offline"}) {
    std::string evidence = std::string(oracle) +
                           " (after crash): 16 of 16 gap bytes non-zero "
                           "(16 are sentinel)";
    EXPECT_EQ(CountOccurrences(ran.out, evidence), 3) << oracle << "\n" << ran.out;
  }
  ExpectNothingLeft(wd);
}

INSTANTIATE_TEST_SUITE_P(Filesystems, PositiveControl,
                         testing::Values(Config{"ext4", "4096"}, Config{"ext4", "1024"},
                                         Config{"xfs", "4096"}, Config{"xfs", "1024"}),
                         [](const auto& info) {
                           return std::string(info.param.fs) + "_" + info.param.block_size;
                         });

// The before-crash oracles read the page cache. Leaving the sentinel in the
// gap there (written through the file right after the extension) must make
// both of them report it, in every case.
TEST_P(PositiveControl, EveryBeforeCrashOracleSeesASentinelLeftInThePageCache) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzero({"run", "--workdir", wd.str(), "--fs", GetParam().fs, "--block-size",
                        GetParam().block_size, "--inject-fault", "stale-in-cache"});
  EXPECT_EQ(ran.exit_code, 1) << ran.out << ran.err;
  EXPECT_EQ(LinesStartingWith(ran.out, "FAIL ").size(), 3u) << ran.out;
  for (const char* oracle : {"buffered-read", "mmap"}) {
    std::string evidence = std::string(oracle) +
                           " (before crash): 16 of 16 gap bytes non-zero "
                           "(16 are sentinel)";
    EXPECT_EQ(CountOccurrences(ran.out, evidence), 3) << oracle << "\n" << ran.out;
  }
  ExpectNothingLeft(wd);
}

// ext4 without a journal promises nothing across a crash: every case is a
// SKIP with that reason, never a FAIL or a PASS.
TEST(Journaling, Ext4WithoutAJournalIsSkippedWithTheReason) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzero(
      {"run", "--workdir", wd.str(), "--fs", "ext4", "--mkfs-options", "-O ^has_journal"});
  EXPECT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_EQ(LinesStartingWith(ran.out, "SKIP ").size(), 3u) << ran.out;
  EXPECT_EQ(CountOccurrences(ran.out, "_require_metadata_journaling"), 3) << ran.out;
  ExpectNothingLeft(wd);
}

struct Geometry {
  const char* fs;
  const char* block_size;
  const char* gap;
};
void PrintTo(const Geometry& g, std::ostream* os) {
  *os << g.fs << " bs=" << g.block_size << " gap=" << g.gap;
}

class GapGeometry : public testing::TestWithParam<Geometry> {};

// Extreme gaps (1 byte, block size - 1) and 1 KiB blocks run to a verdict.
TEST_P(GapGeometry, RunsToAVerdict) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzero({"run", "--workdir", wd.str(), "--fs", GetParam().fs, "--block-size",
                        GetParam().block_size, "--gap", GetParam().gap});
  std::cout << ran.out;
  EXPECT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.out << ran.err;
  EXPECT_EQ(LinesStartingWith(ran.out, "PASS ").size() + LinesStartingWith(ran.out, "FAIL ").size(),
            3u)
      << ran.out;
  ExpectNothingLeft(wd);
}

INSTANTIATE_TEST_SUITE_P(
    Gaps, GapGeometry,
    testing::Values(Geometry{"ext4", "1024", "1"}, Geometry{"ext4", "4096", "4095"},
                    Geometry{"xfs", "1024", "1023"}, Geometry{"xfs", "4096", "1"}),
    [](const auto& info) {
      return std::string(info.param.fs) + "_" + info.param.block_size + "_gap" + info.param.gap;
    });

}  // namespace
}  // namespace eofzero::itest
