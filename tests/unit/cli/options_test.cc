#include "cli/options.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <thread>

#include "cli/env_stub.h"
#include "explore/space.h"
#include "explore/workload.h"

namespace eofzero::cli {
namespace {

using Args = std::vector<std::string>;

TEST(ParseCommandLine, RunWithoutArgumentsIsTheDefaultSuite) {
  auto inv = ParseCommandLine({"run"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->command, Command::kRun);
  const suite::RunOptions& o = inv->run;
  EXPECT_EQ(o.filesystems, (std::vector{fsdriver::FsType::kExt4, fsdriver::FsType::kXfs}));
  EXPECT_TRUE(o.cases.empty());
  EXPECT_EQ(o.block_size, 4096u);
  EXPECT_EQ(o.scenario.gap_bytes, 16u);
  EXPECT_FALSE(o.scenario.shutdown_flag) << "each case says how it shuts down";
  EXPECT_FALSE(o.scenario.direct_read_before_crash);
  EXPECT_TRUE(o.scenario.faults.empty());
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
  const suite::RunOptions& o = inv->run;
  EXPECT_EQ(o.filesystems, (std::vector{fsdriver::FsType::kXfs}));
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
  EXPECT_EQ(o.scenario.faults, std::vector{engine::Fault::kStaleAfterCrash});
}

TEST(ParseCommandLine, ARecordingsServerTimeoutIsInSeconds) {
  auto inv = ParseCommandLine({"run", "--record", "/tmp"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->run.server_timeout, std::chrono::seconds(30));
  inv = ParseCommandLine({"run", "--record", "/tmp", "--server-timeout", "5"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->run.server_timeout, std::chrono::seconds(5));
}

TEST(ParseCommandLine, CrashStatesTakeTheirKnobsAndNeedARecording) {
  auto inv = ParseCommandLine({"run", "--record", "/tmp", "--crash-states", "--subset-limit", "5",
                               "--subset-samples", "9", "--states-seed", "3", "--torn",
                               "--inject-fault", "bad-logged-write"});
  ASSERT_TRUE(inv) << inv.error();
  const auto& c = inv->run.crash_states;
  EXPECT_TRUE(c.enabled);
  EXPECT_EQ(c.plan.subset_limit, 5u);
  EXPECT_EQ(c.plan.samples, 9u);
  EXPECT_EQ(c.plan.seed, 3u);
  EXPECT_TRUE(c.plan.torn);
  EXPECT_TRUE(c.bad_logged_write);
  EXPECT_TRUE(inv->run.scenario.faults.empty()) << "the control changes the log, not a call";
  EXPECT_FALSE(ParseCommandLine({"run", "--crash-states"}));
  EXPECT_FALSE(ParseCommandLine({"run", "--record", "/tmp", "--crash-states", "--subset-limit", "13"}));
  EXPECT_FALSE(ParseCommandLine({"run", "--record", "/tmp", "--inject-fault", "bad-logged-write"}));
  auto sweep = ParseCommandLine({"sweep", "--record", "/tmp", "--crash-states"});
  ASSERT_TRUE(sweep) << sweep.error();
  EXPECT_TRUE(sweep->run.crash_states.enabled);
}

TEST(ParseCommandLine, SelftestTakesTheConfigurationFlagsOnly) {
  auto inv = ParseCommandLine({"selftest", "--fs", "xfs", "--block-size", "1024", "--workdir",
                               "/tmp", "--mkfs-options", "-m reflink=0"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->command, Command::kSelftest);
  EXPECT_EQ(inv->run.filesystems, (std::vector{fsdriver::FsType::kXfs}));
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
        BadInput{{"run", "--fs", "zfs"}, "--fs: unknown filesystem 'zfs'"},
        BadInput{{"run", "--fs", ""}, "--fs: unknown filesystem ''"},
        BadInput{{"run", "--cases-dir", "/nonexistent"},
                 "--cases-dir: /nonexistent is not a directory"},
        BadInput{{"run", "--block-size", "3000"}, "--block-size: 3000 is not a power of two"},
        BadInput{{"run", "--block-size", "512"}, "--block-size: 512 is not a power of two"},
        BadInput{{"run", "--block-size", "4k"}, "--block-size: '4k' is not a whole number"},
        BadInput{{"run", "--block-size", "-1"}, "--block-size: '-1' is not a whole number"},
        BadInput{{"run", "--gap", "0"}, "--gap: 0 must be from 1 to block size - 1"},
        BadInput{{"run", "--gap", "4096"}, "--gap: 4096 must be from 1 to block size - 1 (4095)"},
        BadInput{{"run", "--gap", "16x"}, "--gap: '16x' is not a whole number"},
        BadInput{{"run", "--record", "/tmp", "--crash-states", "--states-seed", "4294967296"},
                 "--states-seed: 4294967296 is out of range (0 to 4294967295)"},
        BadInput{{"run", "--server-timeout", "5"},
                 "--server-timeout: needs --record DIR (it is the recording's server)"},
        BadInput{{"run", "--record", "/tmp", "--server-timeout", "0"},
                 "--server-timeout: 0 is not a number of seconds from 1 to 3600"},
        BadInput{{"run", "--record", "/tmp", "--server-timeout", "5s"},
                 "--server-timeout: '5s' is not a whole number"},
        BadInput{{"run", "--image-size", "1M"},
                 "--image-size: 1M is too small: mkfs.ext4 needs 8M with 4096-byte blocks"},
        BadInput{{"run", "--fs", "xfs", "--image-size", "16M"},
                 "--image-size: 16M is too small: mkfs.xfs needs 300M"},
        BadInput{{"run", "--fs", "ext4,xfs", "--image-size", "299M"},
                 "--image-size: 299M is too small: mkfs.xfs needs 300M"},
        BadInput{{"selftest", "--fs", "xfs", "--image-size", "16M"},
                 "--image-size: 16M is too small: mkfs.xfs needs 300M"},
        BadInput{{"list", "--fs", "xfs", "--image-size", "16M"},
                 "--image-size: 16M is too small: mkfs.xfs needs 300M"},
        BadInput{{"run", "--fs", "ext4", "--block-size", "4096", "--image-size", "4M"},
                 "--image-size: 4M is too small: mkfs.ext4 needs 8M with 4096-byte blocks"},
        BadInput{{"list", "--gap", "0"}, "--gap: 0 must be from 1 to block size - 1"},
        BadInput{{"run", "--image-size", "0"}, "--image-size: '0' is not a size"},
        BadInput{{"run", "--image-size", "12Q"}, "--image-size: '12Q' is not a size"},
        BadInput{{"run", "--workdir", "/nonexistent/eofzero"}, "--workdir: /nonexistent"},
        BadInput{{"run", "--shutdown", "hard"}, "--shutdown: 'hard' is not one of"},
        BadInput{{"run", "--inject-fault", "x"}, "--inject-fault: unknown fault 'x'"},
        BadInput{{"run", "--frobnicate"}, "The following argument was not expected"},
        BadInput{{"explode"}, "The following argument was not expected"},
        BadInput{{"run", "--format", "xml"}, "--format: 'xml' is not one of human, json, junit"},
        BadInput{{"run", "--output", "/no/such/dir/r.json"}, "--output: /no/such/dir is not a"},
        BadInput{{"run", "--output", "/tmp"}, "--output: /tmp is a directory"},
        // A device, a FIFO or a link is never written into (it used to be).
        BadInput{{"report", "r.json", "--output", "/dev/null"},
                 "--output: /dev/null is a character device, not a regular file"},
        BadInput{{"run", "--record", "/no/such/dir/logs"},
                 "--record: /no/such/dir/logs does not exist, and /no/such/dir (where it would "
                 "be made) is not a directory"},
        BadInput{{"run", "--record", "/dev/null"}, "--record: /dev/null is not a directory"},
        BadInput{{"log", "replay", "/dev/null"}, "log: /dev/null is not a file"},
        BadInput{{"matrix", "--config", "/no/such.toml"}, "--config: /no/such.toml is not a file"},
        BadInput{{"run", "--fs", "ext4,ext4"}, "--fs: ext4 given twice"},
        BadInput{{"run", "--fs", "xfs,ext4,xfs"}, "--fs: xfs given twice"},
        BadInput{{"run", "--scratch-dev", "", "--scratch-mnt", "/mnt/s"},
                 "--scratch-dev: empty (give the block device)"},
        BadInput{{"run", "--scratch-dev", "/dev/vdb", "--scratch-mnt", ""},
                 "--scratch-mnt: empty (give the directory)"},
        BadInput{{"matrix", "-j", "65"}, "-j: must be 1 to 64"},
        BadInput{{"matrix", "-j", "0"}, "-j: must be 1 to 64"},
        BadInput{{"matrix", "--jobs", "0"}, "-j: must be 1 to 64"},
        BadInput{{"matrix", "-j", "two"}, "-j: 'two' is not a whole number"},
        BadInput{{"sweep", "-j", "0"}, "-j: must be 1 to 64"},
        BadInput{{"sweep", "--jobs", "65"}, "-j: must be 1 to 64"},
        BadInput{{"sweep", "-j", "2x"}, "-j: '2x' is not a whole number"},
        BadInput{{"sweep", "-j", "2", "--format", "fstests"},
                 "-j: --format fstests streams from one process: -j 1 with it"},
        BadInput{{"sweep", "--worker-slice", "3/2", "--worker-output", "/tmp/x.json"},
                 "--worker-slice: '3/2' is not K/N with --worker-output"},
        BadInput{{"explore", "-j", "0"}, "-j: must be 1 to 64"},
        BadInput{{"explore", "--jobs", "65"}, "-j: must be 1 to 64"},
        BadInput{{"explore", "-j", "2x"}, "-j: '2x' is not a whole number"},
        BadInput{{"explore", "--worker-slice", "1/2"},
                 "--worker-slice: '1/2' is not K/N with --results"},
        BadInput{{"explore", "--worker-slice", "3/2", "--results", "/tmp/x.jsonl"},
                 "--worker-slice: '3/2' is not K/N with --results"},
        BadInput{{"report"}, "report: name a JSON report to render, or --merge FILE..."},
        BadInput{{"report", "--merge", "/no/such.json"}, "--merge: /no/such.json is not a file"},
        BadInput{{"kernels"}, "--kernel: name at least one kernel"},
        BadInput{{"kernels", "--kernel", "firefox"}, "--kernel firefox: not a suite"},
        BadInput{{"kernels", "--kernel", "/no/bzImage"},
                 "--kernel /no/bzImage: /no/bzImage is not a kernel image file"},
        BadInput{{"kernels", "--kernel", "/no/k.deb"}, "--kernel /no/k.deb: no such file"},
        BadInput{{"kernels", "--kernel", "trixie,,trixie"},
                 "--kernel: an empty item in 'trixie,,trixie'"},
        BadInput{{"kernels", "--kernel", ",", "--fs", "ext4"}, "--kernel: an empty item in ','"},
        BadInput{{"kernels", "--kernel", "sid,trixie", "--kernel", "sid"},
                 "--kernel: sid given twice"},
        BadInput{{"kernels", "--kernel", "sid", "--shard", "3/2"}, "--shard 3/2: K is more than M"},
        BadInput{{"kernels", "--kernel", "sid", "-j", "0"}, "-j: must be 1 to 64"},
        BadInput{{"kernels", "--kernel", "sid", "--timeout", "0"},
                 "--timeout: must be at least 1 second"},
        BadInput{{"kernels", "--kernel", "sid", "--fs", "zfs"}, "--fs: "},
        BadInput{{"kernels", "--kernel", "sid", "--selftest", "--case", "append_write"},
                 "--case: --selftest runs the self-test's own cases"},
        BadInput{{"kernels", "--kernel", "sid", "--selftest", "--cases-dir", "/tmp"},
                 "--cases-dir: --selftest runs the self-test's own cases"},
        BadInput{{"selftest", "--format", "junit"}, "--format: selftest writes human or json"},
        BadInput{{"report", "/no/such.json"}, "report: /no/such.json is not a file"}));

TEST(ParseCommandLine, KernelsSelftestAndSelftestJson) {
  auto inv = ParseCommandLine({"kernels", "--kernel", "sid", "--selftest", "--fs", "ext4"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_TRUE(inv->kernels.selftest);
  EXPECT_FALSE(ParseCommandLine({"kernels", "--kernel", "sid"})->kernels.selftest);
  inv = ParseCommandLine({"selftest", "--format", "json", "--output", "/tmp/eofzero-selftest.json"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->run.format, report::ReportFormat::kJson);
  EXPECT_EQ(inv->run.output, "/tmp/eofzero-selftest.json");
}

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
  EXPECT_EQ(inv->matrix.config, "") << "empty: the binary's shipped matrix file";
  EXPECT_GE(inv->matrix.jobs, 1u);
  EXPECT_EQ(inv->run.format, report::ReportFormat::kMarkdown);
  const std::string shipped = std::string(EOFZERO_SOURCE_DIR) + "/scripts/matrix.toml";
  auto two = ParseCommandLine({"matrix", "-j", "2", "--config", shipped});
  ASSERT_TRUE(two) << two.error();
  EXPECT_EQ(two->matrix.jobs, 2u);
  EXPECT_EQ(two->matrix.config, shipped);
}

TEST(ParseCommandLine, FstestsFormatIsForRunOnStdout) {
  EXPECT_EQ(ParseCommandLine({"run", "--format", "fstests"})->run.format,
            report::ReportFormat::kFstests);
  EXPECT_EQ(ParseCommandLine({"run", "--format", "human"})->run.format,
            report::ReportFormat::kHuman);
  EXPECT_EQ(ParseCommandLine({"run", "--format", "fstests", "--output", "/tmp/x"}).error(),
            "--output: the fstests format is for stdout only");
  EXPECT_EQ(ParseCommandLine({"matrix", "--format", "fstests"}).error(),
            "--format: fstests is for `eofzero run` only");
}

TEST(ParseCommandLine, ScratchDeviceAndMountDirGoTogether) {
  auto inv = ParseCommandLine({"run", "--scratch-dev", "/dev/vdb", "--scratch-mnt", "/mnt/s"});
  ASSERT_TRUE(inv) << inv.error();
  ASSERT_TRUE(inv->run.scratch_target);
  EXPECT_EQ(inv->run.scratch_target->device, "/dev/vdb");
  EXPECT_EQ(inv->run.scratch_target->mount_dir, "/mnt/s");
  EXPECT_EQ(inv->run.scratch_target->device_from, "--scratch-dev");
  EXPECT_FALSE(ParseCommandLine({"run"})->run.scratch_target) << "images by default";
}

TEST(ParseCommandLine, MkfsOptionsThatSetABlockSizeMakeItTheOnlyOne) {
  auto inv = ParseCommandLine({"run", "--fs", "ext4", "--mkfs-options", "-b 1024"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->run.mkfs_block_size, 1024u);
  EXPECT_EQ(inv->run.block_size, 1024u);
  inv = ParseCommandLine(
      {"run", "--fs", "xfs", "--mkfs-options", "-b size=2048", "--block-size", "2048"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->run.block_size, 2048u);
  EXPECT_FALSE(ParseCommandLine({"run", "--fs", "ext4", "--mkfs-options", "-O bigalloc"})
                   ->run.mkfs_block_size);
}

TEST(ParseCommandLine, OptionsThatNameAnotherDeviceAreRefused) {
  EXPECT_EQ(
      ParseCommandLine({"run", "--fs", "xfs", "--mkfs-options", "-l logdev=/dev/vdc,size=64m"})
          .error(),
      "--mkfs-options: '-l logdev=/dev/vdc,size=64m' names an external log device: options "
      "that reach beyond the scratch device are refused");
  EXPECT_EQ(ParseCommandLine({"run", "--mount-options", "noatime,logdev=/dev/vdc"}).error(),
            "--mount-options: 'logdev=/dev/vdc' names a device or file, or sets one up: options "
            "that reach beyond the scratch device are refused");
  // Options for one filesystem are checked against each selected one.
  EXPECT_EQ(ParseCommandLine({"run", "--mkfs-options", "-J device=/dev/vdc"}).error(),
            "--mkfs-options: '-J device=/dev/vdc' names an external journal device: options "
            "that reach beyond the scratch device are refused");
}

using stub::Env;
using stub::Vars;

const Vars kFstests = {{"FSTYP", "xfs"},
                       {"SCRATCH_DEV", "/dev/vdb"},
                       {"SCRATCH_MNT", "/mnt/scratch"},
                       {"MKFS_OPTIONS", "-m reflink=1 -b size=1024"},
                       {"MOUNT_OPTIONS", "-o noatime"}};

TEST(ParseCommandLine, FstestsTakesTheEnvironment) {
  auto inv = ParseCommandLine({"run", "--fstests"}, Env(kFstests));
  ASSERT_TRUE(inv) << inv.error();
  const suite::RunOptions& o = inv->run;
  EXPECT_EQ(o.filesystems, (std::vector{fsdriver::FsType::kXfs}));
  ASSERT_TRUE(o.scratch_target);
  EXPECT_EQ(o.scratch_target->device, "/dev/vdb");
  EXPECT_EQ(o.scratch_target->device_from, "SCRATCH_DEV");
  EXPECT_EQ(o.scratch_target->mount_dir, "/mnt/scratch");
  EXPECT_EQ(o.scratch_target->mount_dir_from, "SCRATCH_MNT");
  EXPECT_EQ(o.mkfs_options, "-m reflink=1 -b size=1024");
  EXPECT_EQ(o.mkfs_options_from, "MKFS_OPTIONS");
  EXPECT_EQ(o.mkfs_block_size, 1024u);
  EXPECT_EQ(o.block_size, 1024u);
  EXPECT_EQ(o.mount_options, "noatime");
}

TEST(ParseCommandLine, FlagsWinOverTheFstestsEnvironment) {
  Vars vars = kFstests;
  vars["FSTYP"] = "zfs";           // would be refused, but --fs wins
  vars["MOUNT_OPTIONS"] = "--bind";  // likewise
  auto inv = ParseCommandLine({"run", "--fstests", "--fs", "ext4", "--scratch-dev", "/dev/vdc",
                               "--mkfs-options", "", "--mount-options", "nodelalloc"},
                              Env(vars));
  ASSERT_TRUE(inv) << inv.error();
  const suite::RunOptions& o = inv->run;
  EXPECT_EQ(o.filesystems, (std::vector{fsdriver::FsType::kExt4}));
  EXPECT_EQ(o.scratch_target->device, "/dev/vdc");
  EXPECT_EQ(o.scratch_target->device_from, "--scratch-dev");
  EXPECT_EQ(o.scratch_target->mount_dir, "/mnt/scratch");
  EXPECT_EQ(o.mkfs_options, "");
  EXPECT_FALSE(o.mkfs_block_size);
  EXPECT_EQ(o.mount_options, "nodelalloc");
}

TEST(ParseCommandLine, WithoutFstestsTheEnvironmentIsNotRead) {
  auto inv = ParseCommandLine({"run"}, Env(kFstests));
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_FALSE(inv->run.scratch_target);
  EXPECT_EQ(inv->run.filesystems.size(), 2u);
  EXPECT_EQ(inv->run.mkfs_options, "");
}

struct BadFstests {
  Args args;
  Vars change;  // over kFstests; "" erases
  std::string error;
};
void PrintTo(const BadFstests& b, std::ostream* os) { *os << b.error; }

class FstestsRejects : public testing::TestWithParam<BadFstests> {};

TEST_P(FstestsRejects, WithAOneLineErrorNamingTheVariableOrFlag) {
  const Vars vars = stub::Changed(kFstests, GetParam().change);
  auto inv = ParseCommandLine(GetParam().args, Env(vars));
  ASSERT_FALSE(inv);
  EXPECT_EQ(inv.error().rfind(GetParam().error, 0), 0u) << inv.error();
  EXPECT_EQ(inv.error().find('\n'), std::string::npos) << inv.error();
}

INSTANTIATE_TEST_SUITE_P(
    Table, FstestsRejects,
    testing::Values(
        BadFstests{{"run", "--fstests"}, {{"FSTYP", "zfs"}}, "FSTYP: 'zfs'"},
        BadFstests{{"run", "--fstests"}, {{"SCRATCH_DEV", ""}}, "SCRATCH_DEV: not set"},
        BadFstests{{"run", "--fstests"},
                   {{"MOUNT_OPTIONS", "-o ro -r"}},
                   "MOUNT_OPTIONS: cannot honour '-r'"},
        BadFstests{{"run", "--fstests"},
                   {{"MKFS_OPTIONS", "-b size=3000"}},
                   "MKFS_OPTIONS: '-b size=3000' is not a power of two"},
        BadFstests{{"run", "--fstests"},
                   {{"MKFS_OPTIONS", "-b 1024"}},
                   "MKFS_OPTIONS: '-b 1024': unknown -b suboption"},
        BadFstests{{"run", "--fstests"},
                   {{"MKFS_OPTIONS", "-r rtdev=/dev/vdd"}},
                   "MKFS_OPTIONS: '-r rtdev=/dev/vdd' names a realtime device"},
        BadFstests{{"run", "--fstests"},
                   {{"MOUNT_OPTIONS", "-o noatime -o logdev=/dev/vdc"}},
                   "MOUNT_OPTIONS: 'logdev=/dev/vdc' names a device"},
        BadFstests{{"run", "--fstests", "--block-size", "4096"},
                   {},
                   "--block-size: 4096 conflicts with MKFS_OPTIONS, which sets block size 1024"},
        BadFstests{{"run", "--fstests", "--mkfs-options", "-b size=65"},
                   {},
                   "--mkfs-options: '-b size=65' is not a power of two"},
        BadFstests{{"run", "--scratch-dev", "/dev/vdb"}, {}, "--scratch-dev: needs --scratch-mnt"},
        BadFstests{{"run", "--scratch-mnt", "/mnt"}, {}, "--scratch-mnt: needs --scratch-dev"},
        BadFstests{{"run", "--fstests", "--image-size", "600M"},
                   {},
                   "--image-size: does not apply to a scratch device"},
        BadFstests{
            {"run", "--fstests", "--keep"}, {}, "--keep: does not apply to a scratch device"},
        BadFstests{{"run", "--format", "tap"},
                   {},
                   "--format: 'tap' is not one of human, json, junit, markdown, fstests"},
        BadFstests{{"selftest", "--fstests"}, {}, "The following argument was not expected"}));

// A shell glob's brackets are the glob's, not CLI11's list syntax.
TEST(ParseCommandLine, CaseGlobsKeepTheirBrackets) {
  auto inv = ParseCommandLine({"run", "--case", "[z-a],gap_[15]*", "--case", "[[:alpha:]]*"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->run.cases, (std::vector<std::string>{"[z-a]", "gap_[15]*", "[[:alpha:]]*"}));
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

// A name that is printed is a name that parses: sweep's help lists every
// primitive, crash mode and distance from the tables --sync, --crash and
// --distance read, and each parses alone.
TEST(ParseCommandLine, EverySweepNameInTheHelpParses) {
  auto help = ParseCommandLine({"sweep", "--help"});
  ASSERT_TRUE(help);
  auto check = [&](const auto& names, const char* flag, auto member) {
    std::string listed;
    for (const char* name : names) listed += (listed.empty() ? "" : ", ") + std::string(name);
    EXPECT_NE(help->help.find("(" + listed + ": all"), std::string::npos) << listed << help->help;
    for (const char* name : names) {
      auto inv = ParseCommandLine({"sweep", flag, name});
      ASSERT_TRUE(inv) << flag << " " << name << ": " << inv.error();
      EXPECT_EQ(inv->sweep.*member, std::vector<std::string>{name});
    }
  };
  check(suite::kPrimitives, "--sync", &suite::SweepOptions::primitives);
  check(suite::kCrashModes, "--crash", &suite::SweepOptions::crashes);
  check(suite::kDistances, "--distance", &suite::SweepOptions::distances);
  EXPECT_NE(help->help.find("sync_range_file"), std::string::npos);
  EXPECT_FALSE(ParseCommandLine({"sweep", "--sync", "sync_range_all"}));
}

TEST(ParseCommandLine, ImageSizesMkfsCanUse) {
  auto ext4_1k =
      ParseCommandLine({"run", "--fs", "ext4", "--block-size", "1024", "--image-size", "2M"});
  ASSERT_TRUE(ext4_1k) << ext4_1k.error();
  EXPECT_EQ(ext4_1k->run.image_bytes, 2ull << 20);
  EXPECT_TRUE(ParseCommandLine({"run", "--fs", "ext4", "--image-size", "8M"}));
  EXPECT_TRUE(ParseCommandLine({"run", "--fs", "xfs", "--image-size", "300M"}));
}

TEST(ParseCommandLine, ListTakesWhatChecksTheCases) {
  auto inv = ParseCommandLine(
      {"list", "--fs", "xfs", "--block-size", "1024", "--gap", "100", "--image-size", "1G"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->command, Command::kList);
  EXPECT_EQ(inv->run.filesystems, std::vector<fsdriver::FsType>{fsdriver::FsType::kXfs});
  EXPECT_EQ(inv->run.block_size, 1024u);
  EXPECT_EQ(inv->run.scenario.gap_bytes, 100u);
  EXPECT_EQ(inv->run.image_bytes, 1ull << 30);
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

namespace eofzero::cli {
namespace {

TEST(ParseCommandLine, KernelsTakesSpecsAShardJobsATimeoutAndTheCaseOptions) {
  auto inv = ParseCommandLine({"kernels", "--kernel", "bookworm,sid/6.17.8+deb14-amd64", "--kernel",
                               "trixie", "--shard", "2/3", "-j", "2", "--timeout", "120",
                               "--append", "ext4.debug=1", "--fs", "xfs", "--case", "*",
                               "--format", "json"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->command, Command::kKernels);
  ASSERT_EQ(inv->kernels.kernels.size(), 3u);
  EXPECT_EQ(inv->kernels.kernels[1].package, "linux-image-6.17.8+deb14-amd64");
  EXPECT_EQ(inv->kernels.kernels[2].suite, "trixie");
  EXPECT_EQ(inv->kernels.shard.index, 2u);
  EXPECT_EQ(inv->kernels.shard.count, 3u);
  EXPECT_EQ(inv->kernels.jobs, 2u);
  EXPECT_EQ(inv->kernels.timeout_seconds, 120u);
  EXPECT_EQ(inv->kernels.append, "ext4.debug=1");
  EXPECT_EQ(inv->run.filesystems, std::vector<fsdriver::FsType>{fsdriver::FsType::kXfs});
  EXPECT_EQ(inv->run.cases, std::vector<std::string>{"*"});
  auto defaults = ParseCommandLine({"kernels", "--kernel", "sid"});
  ASSERT_TRUE(defaults) << defaults.error();
  EXPECT_EQ(defaults->kernels.jobs, std::max(std::min(std::thread::hardware_concurrency(), 64u), 1u))
      << "one guest per online CPU";
  EXPECT_EQ(defaults->kernels.timeout_seconds, 900u);
  EXPECT_EQ(defaults->kernels.shard.count, 1u);
}

TEST(ParseCommandLine, ReportMergeTakesTheShardsInOrder) {
  const std::string readme = EOFZERO_SOURCE_DIR "/README.md";
  auto inv = ParseCommandLine({"report", "--merge", readme, readme, "--format", "markdown"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->report_merge.size(), 2u);
  EXPECT_EQ(inv->run.format, report::ReportFormat::kMarkdown);
}

}  // namespace
}  // namespace eofzero::cli

namespace eofzero::cli {
namespace {

// explore's help lists the classes from the tables its options parse, and
// each parses alone; a bad name, depth, count or folder is one line.
TEST(ParseCommandLine, EveryExploreNameInTheHelpParses) {
  auto help = ParseCommandLine({"explore", "--help"});
  ASSERT_TRUE(help);
  auto check = [&](std::span<const char* const> names, const char* flag) {
    std::string listed;
    for (const char* name : names) listed += (listed.empty() ? "" : ", ") + std::string(name);
    EXPECT_NE(help->help.find("(" + listed + ": all"), std::string::npos) << listed << help->help;
    for (const char* name : names) {
      auto inv = ParseCommandLine({"explore", flag, name});
      EXPECT_TRUE(inv) << flag << " " << name << ": " << inv.error();
    }
  };
  check(explore::OffsetNames(), "--offsets");
  check(explore::LengthNames(), "--lengths");
  check(explore::PersistNames(), "--persist");
  check(explore::CrashModeNames(), "--crash");
  for (const auto& op : explore::Ops()) {
    auto inv = ParseCommandLine({"explore", "--ops", op.family});
    ASSERT_TRUE(inv) << op.family;
    EXPECT_NE(std::find(inv->explore.bounds.ops.begin(), inv->explore.bounds.ops.end(), op.op),
              inv->explore.bounds.ops.end())
        << op.label;
  }
}

TEST(ParseCommandLine, ExploreBounds) {
  auto inv = ParseCommandLine({"explore", "--fs", "xfs", "--ops", "truncate,pwrite", "--offsets",
                               "far,eof", "--persist", "fsync", "--crash", "nologflush",
                               "--depth", "2", "--sample", "5", "--seed", "9", "--confirm", "0"});
  ASSERT_TRUE(inv) << inv.error();
  EXPECT_EQ(inv->command, Command::kExplore);
  const auto& o = inv->explore;
  using explore::Op;
  EXPECT_EQ(o.bounds.ops, (std::vector<Op>{Op::kPwrite, Op::kPwriteDirect, Op::kPwriteAppend,
                                           Op::kPwriteRwfAppend, Op::kTruncate}));
  EXPECT_EQ(o.bounds.offsets, (std::vector{explore::Offset::kEof, explore::Offset::kFar}));
  EXPECT_EQ(o.bounds.lengths.size(), explore::LengthNames().size());
  EXPECT_EQ(o.bounds.persists, std::vector{explore::Persist::kFsync});
  EXPECT_EQ(o.crashes, std::vector{explore::CrashMode::kNologflush});
  EXPECT_EQ(o.depth, 2);
  EXPECT_EQ(o.sample, 5u);
  EXPECT_EQ(o.seed, 9u);
  EXPECT_EQ(o.confirm, 0);
  auto defaults = ParseCommandLine({"explore", "--count"});
  ASSERT_TRUE(defaults);
  EXPECT_TRUE(defaults->explore.count_only);
  EXPECT_EQ(defaults->explore.depth, 1);
  EXPECT_EQ(defaults->explore.confirm, 3);
  EXPECT_EQ(defaults->explore.crashes.size(), 3u);
  EXPECT_FALSE(defaults->explore.sample);

  auto error = [](std::vector<std::string> args) {
    args.insert(args.begin(), "explore");
    auto inv = ParseCommandLine(args);
    return inv ? std::string("(parsed)") : inv.error();
  };
  EXPECT_EQ(error({"--ops", "pwrite,write"}),
            "--ops: 'write' is not one of pwrite, mwrite, truncate, falloc, fzero, fpunch, "
            "fcollapse, finsert, copy_range, reflink");
  EXPECT_EQ(error({"--depth", "0"}), "--depth: '0' is not a number from 1 to 4");
  EXPECT_EQ(error({"--depth", "5"}), "--depth: '5' is not a number from 1 to 4");
  EXPECT_EQ(error({"--sample", "-1"}), "--sample: '-1' is not a number from 1 to 1000000");
  EXPECT_EQ(error({"--lengths", "4096"}).substr(0, 26), "--lengths: '4096' is not o");
  EXPECT_EQ(error({"--count", "--export", "/tmp"}), "--export: nothing is written with --count");
  EXPECT_EQ(error({"--export", "/no/such/folder/x"}),
            "--export: /no/such/folder is not a directory");
  EXPECT_EQ(error({"--emit-cases", "/etc/passwd"}), "--emit-cases: /etc/passwd is not a directory");
  EXPECT_EQ(error({"--export", "/tmp/a", "--emit-cases", "/tmp/b"}),
            "--export: nothing is reduced with --emit-cases");
}

// explore --kernel: the kernels' SPECs as `kernels` parses them; what the
// guests cannot give (a reduction, a per-run line, a fault) is one line.
TEST(ParseCommandLine, ExploreOnKernelsTakesKernelsSpecsAndVerdictsOnly) {
  auto inv = ParseCommandLine({"explore", "--kernel", "bookworm,trixie", "--ops", "truncate"});
  ASSERT_TRUE(inv) << inv.error();
  ASSERT_EQ(inv->kernels.kernels.size(), 2u);
  EXPECT_EQ(inv->kernels.kernels[1].text, "trixie");
  EXPECT_TRUE(ParseCommandLine({"explore"})->kernels.kernels.empty());
  auto error = [](std::vector<std::string> args) {
    args.insert(args.begin(), {"explore", "--kernel", "bookworm"});
    auto inv = ParseCommandLine(args);
    return inv ? std::string("(parsed)") : inv.error();
  };
  EXPECT_EQ(error({"--export", "/tmp/a"}),
            "--kernel: --export is not offered with it (the guests give verdicts only)");
  EXPECT_EQ(error({"--emit-cases", "/tmp/a"}),
            "--kernel: --emit-cases is not offered with it (the guests give verdicts only)");
  EXPECT_EQ(error({"--results", "/tmp/a.jsonl"}),
            "--kernel: --results is not offered with it (the guests give verdicts only)");
  EXPECT_EQ(ParseCommandLine({"explore", "--kernel", "bookworm,"}).error().substr(0, 9),
            "--kernel:");
}

}  // namespace
}  // namespace eofzero::cli
