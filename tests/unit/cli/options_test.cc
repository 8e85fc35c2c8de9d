#include "cli/options.h"

#include "cli/matrix_config.h"

#include <gtest/gtest.h>

namespace eofzero::cli {
namespace {

using Args = std::vector<std::string>;

TEST(ParseCommandLine, RunWithoutArgumentsIsTheDefaultSuite) {
  auto inv = ParseCommandLine({"run"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->command, Command::kRun);
  const RunOptions& o = inv->run;
  EXPECT_EQ(o.filesystems, (std::vector{scratch::FsType::kExt4, scratch::FsType::kXfs}));
  EXPECT_TRUE(o.cases.empty());
  EXPECT_EQ(o.block_size, 4096u);
  EXPECT_EQ(o.scenario.gap_bytes, 16u);
  EXPECT_FALSE(o.scenario.shutdown_flag) << "each case says how it shuts down";
  EXPECT_FALSE(o.scenario.direct_read_before_crash);
  EXPECT_FALSE(o.scenario.faults.plant_outside_extent || o.scenario.faults.plant_lost_write ||
               o.scenario.faults.stale_after_crash);
  EXPECT_FALSE(o.keep);
}

TEST(ParseCommandLine, AllRunFlags) {
  auto inv = ParseCommandLine({"run",
                               "--fs",
                               "xfs",
                               "--case",
                               "truncate_up,fallocate",
                               "--mkfs-options",
                               "-m reflink=1",
                               "--mount-options",
                               "noatime",
                               "--block-size",
                               "1024",
                               "--gap",
                               "1023",
                               "--image-size",
                               "600M",
                               "--workdir",
                               "/tmp",
                               "--keep",
                               "--shutdown",
                               "nologflush",
                               "-vv",
                               "--direct-read-before-crash",
                               "--inject-fault",
                               "stale-after-crash"});
  ASSERT_TRUE(inv) << inv.error();
  const RunOptions& o = inv->run;
  EXPECT_EQ(o.filesystems, (std::vector{scratch::FsType::kXfs}));
  EXPECT_EQ(o.cases, (Args{"truncate_up", "fallocate"}));
  EXPECT_EQ(o.mkfs_options, "-m reflink=1");
  EXPECT_EQ(o.mount_options, "noatime");
  EXPECT_EQ(o.block_size, 1024u);
  EXPECT_EQ(o.scenario.gap_bytes, 1023u);
  EXPECT_EQ(o.image_bytes, 600ull << 20);
  EXPECT_EQ(o.workdir, "/tmp");
  EXPECT_TRUE(o.keep);
  EXPECT_EQ(o.scenario.shutdown_flag, os::ShutdownFlag::kNoLogFlush);
  EXPECT_EQ(o.verbosity, 2);
  EXPECT_TRUE(o.scenario.direct_read_before_crash);
  EXPECT_TRUE(o.scenario.faults.stale_after_crash);
}

TEST(ParseCommandLine, SelftestTakesTheConfigurationFlagsOnly) {
  auto inv = ParseCommandLine({"selftest", "--fs", "xfs", "--block-size", "1024", "--workdir",
                               "/tmp", "--mkfs-options", "-m reflink=0"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->command, Command::kSelftest);
  EXPECT_EQ(inv->run.filesystems, (std::vector{scratch::FsType::kXfs}));
  EXPECT_EQ(inv->run.block_size, 1024u);
  EXPECT_EQ(inv->run.mkfs_options, "-m reflink=0");
  EXPECT_FALSE(ParseCommandLine({"selftest", "--case", "x"}));
}

struct BadInput {
  Args args;
  std::string error;  // the whole one-line message starts with this
};

void PrintTo(const BadInput& b, std::ostream* os) { *os << b.error; }

class ParseCommandLineRejects : public testing::TestWithParam<BadInput> {};

TEST_P(ParseCommandLineRejects, WithAOneLineErrorNamingTheOption) {
  auto inv = ParseCommandLine(GetParam().args);
  ASSERT_FALSE(inv);
  EXPECT_EQ(inv.error().rfind(GetParam().error, 0), 0u) << inv.error();
  EXPECT_EQ(inv.error().find('\n'), std::string::npos) << inv.error();
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseCommandLineRejects,
    testing::Values(
        BadInput{{"run", "--fs", "btrfs"}, "--fs: unknown filesystem 'btrfs'"},
        BadInput{{"run", "--fs", ""}, "--fs: unknown filesystem ''"},
        BadInput{{"run", "--cases-dir", "/nonexistent"}, "--cases-dir: /nonexistent is not a directory"},
        BadInput{{"run", "--block-size", "3000"}, "--block-size: 3000 is not a power of two"},
        BadInput{{"run", "--block-size", "512"}, "--block-size: 512 is not a power of two"},
        BadInput{{"run", "--block-size", "4k"}, "--block-size: '4k' is not a whole number"},
        BadInput{{"run", "--block-size", "-1"}, "--block-size: '-1' is not a whole number"},
        BadInput{{"run", "--gap", "0"}, "--gap: 0 must be from 1 to block size - 1"},
        BadInput{{"run", "--gap", "4096"}, "--gap: 4096 must be from 1 to block size - 1 (4095)"},
        BadInput{{"run", "--gap", "16x"}, "--gap: '16x' is not a whole number"},
        BadInput{{"run", "--image-size", "1M"}, "--image-size: '1M' is not a size"},
        BadInput{{"run", "--image-size", "12Q"}, "--image-size: '12Q' is not a size"},
        BadInput{{"run", "--workdir", "/nonexistent/eofzero"}, "--workdir: /nonexistent"},
        BadInput{{"run", "--shutdown", "hard"}, "--shutdown: 'hard' is not one of"},
        BadInput{{"run", "--inject-fault", "x"}, "--inject-fault: unknown fault 'x'"},
        BadInput{{"run", "--frobnicate"}, "The following argument was not expected"},
        BadInput{{"explode"}, "The following argument was not expected"},
        BadInput{{"run", "--format", "xml"}, "--format: 'xml' is not one of human, json, junit"},
        BadInput{{"run", "--output", "/no/such/dir/r.json"}, "--output: /no/such/dir is not a"},
        BadInput{{"run", "--output", "/tmp"}, "--output: /tmp is a directory"},
        BadInput{{"matrix", "--config", "/no/such.toml"}, "--config: /no/such.toml is not a file"},
        BadInput{{"matrix", "-j", "65"}, "--jobs: at most 64"},
        BadInput{{"report"}, "json is required"},
        BadInput{{"report", "/no/such.json"}, "report: /no/such.json is not a file"}));

TEST(ParseCommandLine, ReportFormatAndOutput) {
  auto inv = ParseCommandLine({"run", "--format", "junit", "--output", "/tmp/eofzero.xml"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->run.format, report::ReportFormat::kJunit);
  EXPECT_EQ(inv->run.output, "/tmp/eofzero.xml");
  EXPECT_EQ(ParseCommandLine({"run"})->run.format, report::ReportFormat::kHuman);
}

TEST(ParseCommandLine, MatrixDefaultsToTheShippedFileAndOneJobPerCpu) {
  auto inv = ParseCommandLine({"matrix", "--format", "markdown"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->command, Command::kMatrix);
  EXPECT_EQ(inv->matrix.config, DefaultMatrixFile());
  EXPECT_GE(inv->matrix.jobs, 1u);
  EXPECT_EQ(inv->run.format, report::ReportFormat::kMarkdown);
  auto two = ParseCommandLine({"matrix", "-j", "2", "--config", DefaultMatrixFile().string()});
  ASSERT_TRUE(two) << two.error();
  EXPECT_EQ(two->matrix.jobs, 2u);
}

TEST(ParseCommandLine, ListAndHelp) {
  EXPECT_EQ(ParseCommandLine({"list"})->command, Command::kList);
  auto help = ParseCommandLine({"run", "--help"});
  ASSERT_TRUE(help);
  EXPECT_EQ(help->command, Command::kHelp);
  EXPECT_NE(help->help.find("--mkfs-options"), std::string::npos);
  EXPECT_EQ(help->help.find("--inject-fault"), std::string::npos);  // hidden
  EXPECT_EQ(ParseCommandLine({})->command, Command::kHelp);
}

TEST(ParseSize, AcceptsSuffixesAndRejectsJunk) {
  EXPECT_EQ(ParseSize("4096"), 4096u);
  EXPECT_EQ(ParseSize("4K"), 4096u);
  EXPECT_EQ(ParseSize("512M"), 512ull << 20);
  EXPECT_EQ(ParseSize("2g"), 2ull << 30);
  EXPECT_EQ(ParseSize(""), std::nullopt);
  EXPECT_EQ(ParseSize("M"), std::nullopt);
  EXPECT_EQ(ParseSize("1MB"), std::nullopt);
  EXPECT_EQ(ParseSize("-1"), std::nullopt);
  EXPECT_EQ(ParseSize("99999999999999999999G"), std::nullopt);
  EXPECT_EQ(ParseSize("17179869184G"), std::nullopt);  // overflows 64 bits
}

}  // namespace
}  // namespace eofzero::cli
