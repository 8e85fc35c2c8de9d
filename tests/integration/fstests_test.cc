// The fstests drop-in test (scripts/fstests/) under a stand-in of fstests
// (tests/fstests/stub/): its contract — fstests' variables in, the golden
// lines out, a notrun file when it cannot run — on a loop device of the
// test's own. No kernel's verdict is asserted: the output must be the golden
// file exactly when eofzero says every case passed, and must carry the
// evidence when it says one failed. Also scripts/fstests/install.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <sstream>

#include "harness.h"
#include "os/blkid_probe.h"
#include "os/file_io.h"
#include "os/loop_device.h"
#include "os/process.h"
#include "os/unique_fd.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;

const fs::path kSource = EOFZERO_SOURCE_DIR;
const std::vector<std::string> kCases = {"append_write", "fallocate", "truncate_up"};
constexpr const char* kPath = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";

std::string ReadText(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteScript(const fs::path& file, const std::string& text) {
  std::ofstream(file) << text;
  fs::permissions(file, fs::perms::owner_all);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// An fstests tree made of the stub's common/, with an empty tests/generic/.
fs::path MakeTree(const fs::path& root) {
  fs::create_directories(root / "tests" / "generic");
  fs::create_directories(root / "results" / "generic");
  fs::copy(kSource / "tests" / "fstests" / "stub" / "common", root / "common",
           fs::copy_options::recursive);
  return root;
}

os::ProcessResult Install(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {(kSource / "scripts" / "fstests" / "install").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = os::RunProcess(argv);
  return r ? *r : os::ProcessResult{argv, -1, 0, "", r.error().Message()};
}

// Without a number: the highest free one from 999 down, never the first free
// one (fstests' tools/nextid gives that to upstream's next new test, so a
// later pull would bring a test of the same name).
TEST(FstestsInstall, TakesTheHighestFreeNumberFrom999DownAndWritesItIntoBothFiles) {
  Workdir wd;
  const fs::path tree = MakeTree(wd.path() / "fstests");
  std::ofstream(tree / "tests" / "generic" / "001") << "";
  std::ofstream(tree / "tests" / "generic" / "999") << "";
  std::ofstream(tree / "tests" / "generic" / "998.out") << "";
  std::ofstream(tree / "tests" / "generic" / "997.cfg") << "";
  std::ofstream(tree / "tests" / "generic" / "996-named") << "";
  auto r = Install({tree.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path test = tree / "tests" / "generic" / "995";
  ASSERT_TRUE(fs::exists(test)) << r.out;
  EXPECT_NE((fs::status(test).permissions() & fs::perms::owner_exec), fs::perms::none);
  EXPECT_NE(ReadText(test).find("\n# FS QA Test No. 995\n"), std::string::npos);
  std::string golden = ReadText(kSource / "scripts" / "fstests" / "generic-eofzero.out");
  golden.replace(0, golden.find('\n'), "QA output created by 995");
  EXPECT_EQ(ReadText(tree / "tests" / "generic" / "995.out"), golden);
  EXPECT_FALSE(fs::exists(tree / "tests" / "generic" / "002")) << "upstream's next number";
}

// The command it prints works as pasted, from anywhere: it goes into the
// tree (check runs from its top) and names this source tree's build of the
// binary, never a placeholder.
TEST(FstestsInstall, PrintsACommandThatRunsTheTestAsPasted) {
  Workdir wd;
  const fs::path tree = MakeTree(wd.path() / "fstests");
  auto r = Install({tree.string(), "990"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path prog = kSource / "build" / "eofzero";
  const std::string command = "  make -C " + tree.string() + " && cd " + tree.string() +
                              " && EOFZERO_PROG=" + prog.string() + " ./check generic/990";
  EXPECT_NE(r.out.find("\n" + command + "\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("/path/to"), std::string::npos) << r.out;
}

// fstests sources local.config after reading the environment: an
// EOFZERO_PROG set there wins over the command line's, and the installer
// says so when it sees one.
TEST(FstestsInstall, SaysWhenLocalConfigSetsTheBinary) {
  Workdir wd;
  const fs::path tree = MakeTree(wd.path() / "fstests");
  auto quiet = Install({tree.string(), "990"});
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.out.find("local.config"), std::string::npos) << quiet.out;
  std::ofstream(tree / "local.config") << "export EOFZERO_PROG=/opt/eofzero/bin/eofzero\n";
  auto r = Install({tree.string(), "991"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("note: " + (tree / "local.config").string() + " sets EOFZERO_PROG"),
            std::string::npos)
      << r.out;
}

TEST(FstestsInstall, TakesTheNumberGivenAndRefusesToOverwrite) {
  Workdir wd;
  const fs::path tree = MakeTree(wd.path() / "fstests");
  ASSERT_EQ(Install({tree.string(), "990"}).exit_code, 0);
  const fs::path out = tree / "tests" / "generic" / "990.out";
  EXPECT_EQ(Lines(ReadText(out)).front(), "QA output created by 990");
  std::ofstream(out) << "mine\n";
  auto again = Install({tree.string(), "990"});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_EQ(again.err, "install: tests/generic/990 exists; refusing to overwrite it\n");
  EXPECT_EQ(ReadText(out), "mine\n");
  EXPECT_NE(Install({tree.string(), "99x"}).exit_code, 0);
  EXPECT_NE(Install({tree.string(), "1000"}).exit_code, 0) << "fstests' names have 3 digits";
  EXPECT_NE(Install({(wd.path() / "nothing").string()}).exit_code, 0);
}

// The drop-in installed into a stub tree, a loop device of the test's own as
// SCRATCH_DEV, a private SCRATCH_MNT; FSTYP is the parameter.
class DropIn : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    REQUIRE_ROOT();
    ASSERT_FALSE(wd_.path().empty());
    tree_ = MakeTree(wd_.path() / "fstests");
    auto installed = Install({tree_.string(), "990"});
    ASSERT_EQ(installed.exit_code, 0) << installed.err;
    auto loop = AttachScratchImage(wd_);
    ASSERT_TRUE(loop) << loop.error().Message();
    loop_.emplace(std::move(*loop));
    fs::create_directories(wd_.path() / "mnt");
    fs::create_directories(wd_.path() / "tmp");
    fs::create_directories(wd_.path() / "bin");
  }

  void TearDown() override { ReleaseScratchImage(loop_, wd_); }

  struct Result {
    os::ProcessResult run;
    std::optional<std::string> notrun;  // $seqres.notrun
    std::string full;                   // $seqres.full
  };

  // Runs tests/generic/990 as fstests' check does: from the top of the tree,
  // with a clean environment but for fstests' variables and `env`.
  Result Run(const std::vector<std::string>& env) {
    const fs::path results = tree_ / "results" / "generic";
    fs::remove(results / "990.notrun");  // as check does before each test
    std::vector<std::string> argv = {"env",
                                     "-C",
                                     tree_.string(),
                                     "-i",
                                     kPath,
                                     "TMPDIR=" + (wd_.path() / "tmp").string(),
                                     "RESULT_DIR=" + results.string(),
                                     "FSTYP=" + GetParam(),
                                     "SCRATCH_DEV=" + loop_->path(),
                                     "SCRATCH_MNT=" + (wd_.path() / "mnt").string()};
    argv.insert(argv.end(), env.begin(), env.end());
    argv.push_back("./tests/generic/990");
    auto r = os::RunProcess(argv);
    Result result{r ? *r : os::ProcessResult{argv, -1, 0, "", r.error().Message()}, std::nullopt,
                  ReadText(results / "990.full")};
    if (fs::exists(results / "990.notrun")) result.notrun = ReadText(results / "990.notrun");
    return result;
  }

  std::string Golden() const { return ReadText(tree_ / "tests" / "generic" / "990.out"); }
  std::string Eofzero() const { return "EOFZERO_PROG=" + std::string(EOFZERO_BINARY); }
  std::string DeviceType() const {
    auto id = os::ProbeFilesystem(loop_->path());
    return id ? id->type : id.error().Message();
  }

  Workdir wd_;
  fs::path tree_;
  std::optional<os::LoopDevice> loop_;
};

// A stand-in eofzero on PATH that records its arguments in `marker` and
// prints what a passing run would.
void FakeEofzero(const fs::path& bin, const fs::path& marker) {
  WriteScript(bin / "eofzero", "#!/bin/sh\necho \"$@\" > " + marker.string() +
                                   "\nprintf '%s: PASS\\n' append_write fallocate truncate_up\n");
}

TEST_P(DropIn, IsNotRunWithoutTheBinaryAndTouchesNothing) {
  const std::string notrun = "eofzero not found: set EOFZERO_PROG or put eofzero on PATH";
  Result r = Run({});
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_EQ(r.run.out, "QA output created by 990\n990 not run: " + notrun + "\n");
  EXPECT_EQ(r.notrun, notrun + "\n");
  EXPECT_EQ(DeviceType(), "") << "the scratch device was touched";
}

// A broken install fails the test (check reports it) instead of passing as
// "not run": EOFZERO_PROG naming no program (it wins over PATH), or an
// eofzero that cannot find its case catalog — a copy of the binary, without
// the share/eofzero/ of an installation, named by EOFZERO_PROG or on PATH.
TEST_P(DropIn, ABrokenInstallIsAFailureNotANotrun) {
  const fs::path marker = wd_.path() / "fake-eofzero-ran";
  FakeEofzero(wd_.path() / "bin", marker);
  const fs::path copy = wd_.path() / "copy" / "eofzero";
  fs::create_directories(copy.parent_path());
  fs::copy_file(EOFZERO_BINARY, copy);
  const std::string path_with_fake = std::string(kPath) + ":" + (wd_.path() / "bin").string();
  const std::string path_with_copy =  // first, before any eofzero installed on this machine
      "PATH=" + copy.parent_path().string() + ":" + std::string(kPath).substr(5);
  const std::string broken = "eofzero is broken: '" + copy.string() + " list' exited 3 (see ";
  struct Broken {
    std::vector<std::string> env;
    std::string says;
  };
  for (const auto& b :
       {Broken{{"EOFZERO_PROG=/nonexistent/eofzero", path_with_fake},
               "EOFZERO_PROG=/nonexistent/eofzero is not an executable file"},
        Broken{{"EOFZERO_PROG=" + wd_.path().string()},
               "EOFZERO_PROG=" + wd_.path().string() + " is not an executable file"},
        Broken{{"EOFZERO_PROG=" + copy.string()}, broken}, Broken{{path_with_copy}, broken}}) {
    SCOPED_TRACE(b.env.front());
    Result r = Run(b.env);
    EXPECT_EQ(r.run.exit_code, 1) << "check counts a non-zero exit as a failure\n" << r.run.out;
    EXPECT_FALSE(r.notrun) << *r.notrun;
    EXPECT_NE(r.run.out, Golden());
    EXPECT_NE(r.run.out.find("\n" + b.says), std::string::npos) << r.run.out;
    if (b.says == broken) {
      EXPECT_NE(r.full.find("eofzero: cannot find the case catalog: " +
                            (wd_.path() / "share" / "eofzero" / "cases").string()),
                std::string::npos)
          << "eofzero's reason belongs in $seqres.full:\n"
          << r.full;
    }
  }
  EXPECT_FALSE(fs::exists(marker)) << "the eofzero on PATH ran instead of EOFZERO_PROG";
  EXPECT_EQ(DeviceType(), "") << "the scratch device was touched";
}

TEST_P(DropIn, FallsBackToEofzeroOnPathAndPassesItsArguments) {
  const fs::path marker = wd_.path() / "fake-eofzero-ran";
  FakeEofzero(wd_.path() / "bin", marker);
  Result r = Run({std::string(kPath) + ":" + (wd_.path() / "bin").string()});
  EXPECT_EQ(r.run.out, Golden()) << r.run.err;
  EXPECT_EQ(ReadText(marker),
            "run --fstests --format fstests --case append_write,fallocate,truncate_up -v\n");
  EXPECT_FALSE(r.notrun);
}

TEST_P(DropIn, OutputIsTheGoldenFileExactlyWhenEveryCasePasses) {
  Result r = Run({Eofzero()});
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_EQ(r.run.err, "") << "check merges stderr into the output it diffs";
  EXPECT_FALSE(r.notrun) << *r.notrun;
  EXPECT_NE(r.full.find("eofzero: info: " + GetParam() + " bs=4096 on " + loop_->path()),
            std::string::npos)
      << "diagnostics belong in $seqres.full:\n"
      << r.full;
  EXPECT_EQ(DeviceType(), GetParam()) << "eofzero's filesystem is left on the scratch device";

  // eofzero's own verdicts, from its lines, in run order.
  const auto lines = Lines(r.run.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front(), "QA output created by 990");
  std::vector<std::string> names;
  bool all_pass = true;
  bool exit_shown = false;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].starts_with("    ")) continue;  // evidence
    if (lines[i].starts_with("eofzero exited ")) {
      exit_shown = true;
      continue;
    }
    const auto colon = lines[i].find(": ");
    ASSERT_NE(colon, std::string::npos) << lines[i];
    const std::string name = lines[i].substr(0, colon), verdict = lines[i].substr(colon + 2);
    names.push_back(name);
    EXPECT_FALSE(verdict.starts_with("ERROR")) << lines[i] << "\n" << r.full;
    all_pass &= verdict == "PASS";
    if (verdict.starts_with("FAIL: ")) {
      ASSERT_LT(i + 1, lines.size()) << "a FAIL without evidence";
      EXPECT_TRUE(lines[i + 1].starts_with("    case " + name + " on " + GetParam() + " bs="))
          << "a FAIL without evidence:\n"
          << r.run.out;
    } else {
      EXPECT_TRUE(verdict == "PASS" || verdict.starts_with("SKIP: ")) << lines[i];
    }
  }
  EXPECT_EQ(names, kCases);
  EXPECT_EQ(exit_shown, !all_pass) << r.run.out;
  if (all_pass) {
    EXPECT_EQ(r.run.out, Golden());
  } else {
    EXPECT_NE(r.run.out, Golden());
    EXPECT_NE(r.run.out.find(": FAIL: "), std::string::npos) << r.run.out;
  }
}

// fstests' own rule: a test of crash behaviour needs a metadata journal.
TEST_P(DropIn, AFilesystemWithoutAJournalIsNotRun) {
  if (GetParam() != "ext4") GTEST_SKIP() << "xfs always journals its metadata";
  Result r = Run({Eofzero(), "MKFS_OPTIONS=-O ^has_journal"});
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  ASSERT_TRUE(r.notrun) << r.run.out;
  EXPECT_NE(r.notrun->find("not journalled"), std::string::npos) << *r.notrun;
}

TEST_P(DropIn, PlantedStaleBytesMakeTheOutputDifferWithEvidence) {
  const fs::path wrapper = wd_.path() / "bin" / "eofzero-with-fault";
  // The fault is for `run`: `list` (the drop-in's check of the install) takes none.
  const std::string script =
      "#!/bin/sh\n"
      "[ \"$1\" = run ] && set -- \"$@\" --inject-fault stale-after-crash\n"
      "exec " +
      std::string(EOFZERO_BINARY) + " \"$@\"\n";
  WriteScript(wrapper, script);
  Result r = Run({"EOFZERO_PROG=" + wrapper.string()});
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  EXPECT_EQ(r.run.err, "");
  EXPECT_NE(r.run.out, Golden());
  EXPECT_NE(r.run.out.find("append_write: FAIL: "), std::string::npos) << r.run.out;
  EXPECT_NE(r.run.out.find("    case append_write on " + GetParam()), std::string::npos)
      << r.run.out;
  EXPECT_NE(r.run.out.find("^^ ^^ ^^ ^^"), std::string::npos) << "no hexdump:\n" << r.run.out;
}

TEST_P(DropIn, IsNotRunWhenEofzeroCannotHonourTheConfiguration) {
  // mount(8) takes -n, so the stub's own mounts work; eofzero cannot pass it on.
  Result r = Run({Eofzero(), "MOUNT_OPTIONS=-o noatime -n"});
  EXPECT_EQ(r.run.exit_code, 0) << r.run.err;
  ASSERT_TRUE(r.notrun) << r.run.out;
  EXPECT_EQ(*r.notrun, "eofzero: MOUNT_OPTIONS: cannot honour '-n' (only -o OPTIONS words)\n");
}

INSTANTIATE_TEST_SUITE_P(Fstyp, DropIn, testing::Values("ext4", "xfs"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace eofzero::itest
