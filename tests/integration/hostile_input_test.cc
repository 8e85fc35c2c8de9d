// No input makes the tool abort, crash or hang: what a case file or an option
// says that cannot work is one line and exit 2 before anything is built; an
// exception in a step is that case's ERROR with everything released; a
// FIFO among the cases does not block; a child's failure is quoted once.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "harness.h"
#include "scratch/write_log.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;

// A case file NAME.toml in `dir` with `steps` before a valid rest.
fs::path WriteCase(const fs::path& dir, const std::string& name, const std::string& steps,
                   const std::string& fields = "") {
  fs::create_directories(dir);
  const fs::path file = dir / (name + ".toml");
  WriteFile(file, "name = \"" + name + "\"\npurpose = \"hostile\"\n" + fields + "steps = '''\n" +
                      steps +
                      "\npwrite 0 {eof}\nfsync\nplant\ntruncate {eob}\nshutdown -f\n"
                      "cycle_mount\nexpect size {eob}\ncheck gap\n'''\n");
  return file;
}

// One line on stderr, "eofzero: FILE:LINE: ...", nothing on stdout.
void ExpectCaseFileError(const Ran& ran, const fs::path& file, const std::string& line) {
  EXPECT_FALSE(ran.timed_out);
  EXPECT_EQ(ran.term_signal, 0) << "killed by signal " << ran.term_signal;
  EXPECT_EQ(ran.exit_code, 2) << ran.out << ran.err.substr(0, 500);
  EXPECT_TRUE(ran.err.starts_with("eofzero: " + file.string() + ":" + line + ": "))
      << ran.err.substr(0, 500);
  EXPECT_EQ(CountOccurrences(ran.err, "\n"), 1) << ran.err.substr(0, 500);
  EXPECT_LT(ran.err.size(), 500u);
  EXPECT_TRUE(ran.out.empty()) << ran.out;
}

struct Hostile {
  const char* name;
  std::string steps;
  std::string fields;
  const char* line;  // where the error points
};
void PrintTo(const Hostile& h, std::ostream* os) { *os << h.name; }

class ListRefusesWhatRunRefuses : public testing::TestWithParam<Hostile> {};

// `list` checks every case as `run` would, so what list accepts runs.
TEST_P(ListRefusesWhatRunRefuses, WithOneLineAndExit2) {
  Workdir wd;
  const Hostile& h = GetParam();
  const fs::path file = WriteCase(wd.path() / "cases", h.name, h.steps, h.fields);
  ExpectCaseFileError(
      RunEofzeroWithTimeout({"list", "--cases-dir", (wd.path() / "cases").string()}, 60), file,
      h.line);
}

std::string Terms(int n) {
  std::string s = "truncate {0";
  for (int i = 0; i < n; ++i) s += " + 0";
  return s + "}";
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ListRefusesWhatRunRefuses,
    testing::Values(Hostile{"negative_literal", "truncate -5", "", "4"},
                    Hostile{"negative_expression", "truncate {0 - 5}", "", "4"},
                    Hostile{"zero_gap", "", "gap = 0\n", "3"},
                    Hostile{"division_by_zero", "truncate {eob / (bs - bs)}", "", "4"},
                    Hostile{"wrapping", "truncate {4611686018427387904 * 4 + eob + bs}", "", "4"},
                    Hostile{"pattern_not_a_byte", "pwrite -S 0x1ff 0 1", "", "4"},
                    Hostile{"offset_near_2_63", "pwrite 9223372036854775000 4096", "", "4"},
                    Hostile{"long_file_name", "file " + std::string(300, 'f'), "", "4"},
                    Hostile{"deep_parentheses",
                            "truncate {" + std::string(15000, '(') + "1" + std::string(15000, ')') +
                                "}",
                            "", "4"},
                    Hostile{"many_terms", Terms(60000), "", "4"},
                    Hostile{"huge_pwrite", "pwrite 0 4611686018427387904", "", "4"},
                    Hostile{"huge_copy", "copy_range -l 9223372036854775807 other", "", "4"}),
    [](const auto& info) { return std::string(info.param.name); });

// Refused before mkfs (exit 2), where it used to abort with std::bad_alloc
// (exit 134) holding the scratch mount, its loop device and its image.
TEST(HostileRun, HugeLengthsAreRefusedBeforeMkfsAndTouchNothing) {
  REQUIRE_ROOT();
  Workdir wd;
  const fs::path cases = wd.path() / "cases";
  for (const auto& [name, step] : {std::pair{"huge_pwrite", "pwrite 0 4611686018427387904"},
                                   {"huge_copy", "copy_range -l 9223372036854775807 other"}}) {
    const fs::path file = WriteCase(cases, name, step);
    const fs::path work = wd.path() / name;
    fs::create_directory(work);
    Ran ran = RunEofzeroWithTimeout(
        {"run", "--workdir", work.string(), "--cases-dir", cases.string(), "--case", name}, 120);
    ExpectCaseFileError(ran, file, "4");
    EXPECT_TRUE(fs::is_empty(work)) << "a run folder was made";
    fs::remove(file);
  }
  ExpectNothingLeft(wd);
}

TEST(HostileRun, AnImageTooSmallForMkfsIsRefusedBeforeMkfs) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzero({"run", "--workdir", wd.str(), "--fs", "xfs", "--image-size", "16M"});
  EXPECT_EQ(ran.exit_code, 2) << ran.out << ran.err;
  EXPECT_EQ(ran.err, "eofzero: --image-size: 16M is too small: mkfs.xfs needs 300M\n");
  EXPECT_TRUE(ran.out.empty());
  EXPECT_TRUE(wd.Contents().empty());
}

// An exception out of a step (here a std::bad_alloc injected after the plant,
// with the case's files open) is that case's ERROR; the run goes on, and
// every mount, loop device and image is released.
TEST(HostileRun, AnExceptionInAStepIsAnErrorAndReleasesEverything) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran =
      RunEofzeroWithTimeout({"run", "--workdir", wd.str(), "--case", "truncate_up,append_write",
                             "--inject-fault", "throw-after-plant"},
                            300);
  EXPECT_EQ(ran.term_signal, 0) << "killed by signal " << ran.term_signal;
  EXPECT_EQ(ran.exit_code, 3) << ran.out << ran.err;
  EXPECT_EQ(LinesStartingWith(ran.out, "ERROR").size(), 4u) << ran.out;
  EXPECT_EQ(CountOccurrences(ran.out, "unexpected exception: std::bad_alloc"), 4) << ran.out;
  ExpectNothingLeft(wd);
  EXPECT_TRUE(wd.Contents().empty());
}

// A FIFO named like a case file used to block `list` and `run` forever in
// open(2); a directory named like one was "missing field 'name'".
TEST(HostileCasesDir, AFifoOrADirectoryIsRefusedWithoutHanging) {
  Workdir wd;
  const fs::path cases = wd.path() / "cases";
  fs::create_directory(cases);
  ASSERT_EQ(::mkfifo((cases / "x.toml").c_str(), 0600), 0);
  for (const auto& args :
       {std::vector<std::string>{"list", "--cases-dir", cases.string()},
        std::vector<std::string>{"run", "--workdir", wd.str(), "--cases-dir", cases.string()}}) {
    Ran ran = RunEofzeroWithTimeout(args, 30);
    EXPECT_FALSE(ran.timed_out) << args[0] << " hung on the FIFO";
    EXPECT_EQ(ran.exit_code, 2) << args[0];
    EXPECT_EQ(ran.err,
              "eofzero: " + (cases / "x.toml").string() + ":0: not a regular file (a FIFO)\n");
  }
  fs::remove(cases / "x.toml");
  fs::create_directory(cases / "X.toml");
  Ran ran = RunEofzeroWithTimeout({"list", "--cases-dir", cases.string()}, 30);
  EXPECT_EQ(ran.exit_code, 2);
  EXPECT_EQ(ran.err,
            "eofzero: " + (cases / "X.toml").string() + ":0: not a regular file (a directory)\n");
  ExpectNothingLeft(wd);
}

// mkfs.xfs's usage text (30 lines) used to be pasted into the report once
// for the configuration and once more per case.
TEST(HostileRun, AChildsFailureIsQuotedOnceAndTrimmed) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzeroWithTimeout({"run", "--workdir", wd.str(), "--fs", "xfs", "--case",
                                   "truncate_up,append_write,fallocate", "--mkfs-options=-m crc=banana"},
                                  120);
  EXPECT_EQ(ran.exit_code, 3) << ran.out << ran.err;
  EXPECT_EQ(CountOccurrences(ran.out, "Usage: mkfs.xfs"), 1) << ran.out;
  EXPECT_EQ(CountOccurrences(ran.out, "more lines cut"), 1) << ran.out;
  EXPECT_EQ(CountOccurrences(ran.out, "/* config file */"), 0) << ran.out;
  EXPECT_EQ(CountOccurrences(ran.out, "could not be set up (see its setup error)"), 3) << ran.out;
  EXPECT_LT(ran.out.size(), 2000u) << ran.out;
  ExpectNothingLeft(wd);
  EXPECT_TRUE(wd.Contents().empty());
}

// Files that block on open or read are never waited on: a FIFO (or a
// /proc file that blocks) given to `report`, a FIFO with no reader as
// --output. The hostile run's hangs ignored SIGTERM.
TEST(HostileFiles, ReportAndOutputNeverBlockOnAFifo) {
  REQUIRE_ROOT();
  Workdir wd;
  const auto fifo = wd.path() / "report.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Ran ran = RunEofzeroWithTimeout({"report", fifo.string()}, 20);
  EXPECT_FALSE(ran.timed_out);
  EXPECT_EQ(ran.exit_code, 2) << ran.err;
  ran = RunEofzeroWithTimeout({"report", "/proc/kmsg"}, 20);
  EXPECT_FALSE(ran.timed_out);
  EXPECT_EQ(ran.exit_code, 2) << ran.err;
  ran = RunEofzeroWithTimeout({"run", "--workdir", wd.str(), "--fs", "ext4", "--case",
                               "truncate_up", "--format", "json", "--output", fifo.string()},
                              60);
  EXPECT_FALSE(ran.timed_out);
  EXPECT_EQ(ran.exit_code, 2) << ran.err;  // before anything runs (hostile_files_test.cc)
  EXPECT_EQ(ran.err, "eofzero: --output: " + fifo.string() + " is a FIFO, not a regular file\n");
  ExpectNothingLeft(wd);
}

// A torn write's sectors are each checked by division: sector 2^55 of 512
// bytes starts at 2^64, and a product wrapped to 0 let the hostile round write
// heap memory into the image (and "@2^55" alone wrote sector 0).
TEST(HostileLog, ATornSectorPastItsWriteIsRefusedAndNothingIsWritten) {
  Workdir wd;
  const std::string log = (wd.path() / "one.ezlog").string();
  {
    auto writer = scratch::WriteLogWriter::Create(log, {16384, 512, 4096, 0});
    ASSERT_TRUE(writer) << writer.error().Message();
    ASSERT_TRUE(writer->Append({scratch::RecordType::kBarrier, 0, 0, 0, {}}));
    ASSERT_TRUE(writer->Append(scratch::WriteRecord(8192, Bytes(4096, 0xab))));
    ASSERT_TRUE(writer->Finish());
  }
  for (const char* state : {"1:0@36028797018963967-36028797018963968", "1:0@36028797018963968",
                            "1:0@8"}) {
    SCOPED_TRACE(state);
    const auto image = wd.path() / "o.img";
    Ran ran = RunEofzero({"log", "replay", log, "--state", state, "--image", image.string()});
    EXPECT_EQ(ran.exit_code, 2) << ran.err;
    EXPECT_NE(ran.err.find("has 8 sectors; no sector "), std::string::npos) << ran.err;
    EXPECT_EQ(CountOccurrences(ran.err, "\n"), 1) << ran.err;
    EXPECT_FALSE(fs::exists(image)) << "an image was written";
  }
  // The positive control: the write's last sector is replayed.
  const auto image = wd.path() / "ok.img";
  Ran ran = RunEofzero({"log", "replay", log, "--state", "1:0@7", "--image", image.string()});
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  const std::string bytes = ReadFile(image);
  ASSERT_EQ(bytes.size(), 16384u);
  EXPECT_TRUE(bytes.substr(7680, 512) == std::string(512, '\0'));
  EXPECT_TRUE(bytes.substr(8192 + 3584, 512) == std::string(512, '\xab'));
  EXPECT_TRUE(bytes.substr(8192, 3584) == std::string(3584, '\0'));
}

}  // namespace
}  // namespace eofzero::itest
