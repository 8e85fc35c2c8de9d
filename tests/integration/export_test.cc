// `eofzero export` end to end: a run's JSON report, each case exported, the
// exported reproducer run on a loop device of the test's own, the exported
// case file run again by eofzero. No kernel's verdict is asserted: the
// reproducer's verdict (exit 0 pass, 1 the bug shows) and the exported case
// file's must equal the verdict eofzero gave the case, whatever it was. The
// script's checks have their positive control: EOFZERO_SELFTEST_FAULT=1 on a
// case that passed must make it exit 1.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <sstream>

#include "harness.h"
#include "os/process.h"
#include "report/json_report.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;

// The xfs RWF_DSYNC append (DESIGN.md): no catalog case has it (sweep's
// rwf_dsync variant of append_write), so the test brings its own.
constexpr const char* kRwfDsyncAppend = R"(name = "append_rwf_dsync"
purpose = "an RWF_DSYNC pwrite of one block at the next block boundary; the gap must be zero after the crash"
language = 2
steps = '''
pwrite -S 0x5a 0 {eob}
fsync
truncate {eof}
fsync
plant
pwrite -D -S 0x42 {eob} {bs}
check gap
shutdown -f
cycle_mount
expect size {eob + bs}
check gap
'''
)";

// Case name -> verdict ("PASS", "FAIL", ...) of the report's one configuration.
std::map<std::string, std::string> Verdicts(const fs::path& json) {
  std::map<std::string, std::string> out;
  auto record = report::LoadJsonReport(json);
  EXPECT_TRUE(record) << json << ": " << (record ? "" : record.error().message);
  if (!record) return out;
  EXPECT_EQ(record->configs.size(), 1u);
  for (const auto& config : record->configs)
    for (const auto& c : config.cases) out[c.case_name] = oracles::OutcomeName(c.outcome);
  return out;
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ",") + w;
  return out;
}

os::ProcessResult Run(const std::vector<std::string>& argv) {
  auto r = os::RunProcess(argv);
  EXPECT_TRUE(r) << (r ? "" : r.error().Message());
  return r ? *r : os::ProcessResult{};
}

// The lines the checks printed (the reproducer's stdout).
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Runs the exported fstests test as fstests' check would, under the stub of
// fstests (tests/fstests/stub/), from a tree of its own.
os::ProcessResult RunFstests(const fs::path& test, const fs::path& tree, const std::string& fstyp,
                             const std::string& dev, const std::string& mnt) {
  fs::remove_all(tree);
  fs::create_directories(tree / "tests" / "generic");
  fs::create_directories(tree / "results" / "generic");
  fs::create_directories(tree / "tmp");
  fs::copy(fs::path(EOFZERO_SOURCE_DIR) / "tests" / "fstests" / "stub" / "common",
           tree / "common", fs::copy_options::recursive);
  fs::copy_file(test, tree / "tests" / "generic" / "NNN");
  auto r = Run({"env", "-C", tree.string(), "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin",
              "TMPDIR=" + (tree / "tmp").string(),
              "RESULT_DIR=" + (tree / "results" / "generic").string(), "FSTYP=" + fstyp,
              "SCRATCH_DEV=" + dev, "SCRATCH_MNT=" + mnt,
              std::string("MKFS_OPTIONS=") + (fstyp == "xfs" ? "-b size=4096" : "-b 4096"),
              "bash", "./tests/generic/NNN"});
  // fstests' check unmounts the scratch filesystem after each test.
  for (const auto& m : MountsUnder(tree.parent_path())) Run({"umount", m});
  return r;
}

struct Config {
  std::string fs;
  std::vector<std::string> cases;
};

void ExportAndReproduce(const Workdir& wd, const Config& config) {
  SCOPED_TRACE(config.fs);
  const fs::path json = wd.path() / (config.fs + ".json");
  Ran ran = RunEofzero({"run", "-q", "--fs", config.fs, "--case", Join(config.cases),
                        "--cases-dir", (wd.path() / "cases").string(), "--workdir", wd.str(),
                        "--format", "json", "--output", json.string()});
  ASSERT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.out << ran.err;
  const auto verdicts = Verdicts(json);
  const fs::path out = wd.path() / (config.fs + "-export");
  ran = RunEofzero({"export", json.string(), "--case", Join(config.cases), "--output-dir",
                    out.string()});
  ASSERT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  // Never over anything: the same export again is refused, nothing touched.
  const std::string first = ReadFile(out / (config.fs + "-4k-truncate_up") / "repro.sh");
  ran = RunEofzero({"export", json.string(), "--case", "truncate_up", "--output-dir",
                    out.string()});
  EXPECT_EQ(ran.exit_code, 2) << ran.out << ran.err;
  EXPECT_EQ(ran.err, "eofzero: --output-dir: " + (out / (config.fs + "-4k-truncate_up")).string() +
                         " exists (never overwritten)\n");
  EXPECT_EQ(ReadFile(out / (config.fs + "-4k-truncate_up") / "repro.sh"), first);

  // The exported case files, run again by eofzero, in one run.
  const fs::path exported_cases = wd.path() / (config.fs + "-cases");
  fs::create_directory(exported_cases);
  std::vector<std::string> exported_names;
  for (const auto& name : config.cases) {
    const std::string folder = config.fs + "-4k-" + name;
    fs::copy_file(out / folder / (folder + ".toml"), exported_cases / (folder + ".toml"));
    exported_names.push_back(folder);
  }
  const fs::path rerun = wd.path() / (config.fs + "-rerun.json");
  ran = RunEofzero({"run", "-q", "--fs", config.fs, "--case", Join(exported_names),
                    "--cases-dir", exported_cases.string(), "--workdir", wd.str(), "--format",
                    "json", "--output", rerun.string()});
  ASSERT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.out << ran.err;
  const auto again = Verdicts(rerun);

  auto loop = AttachScratchImage(wd, config.fs + ".img");
  ASSERT_TRUE(loop) << loop.error().Message();
  std::optional<os::LoopDevice> device(std::move(*loop));
  const std::string mnt = (wd.path() / "mnt").string();
  fs::create_directories(mnt);
  bool self_tested = false;
  for (const auto& name : config.cases) {
    SCOPED_TRACE(name);
    const std::string folder = config.fs + "-4k-" + name;
    const fs::path dir = out / folder;
    ASSERT_TRUE(verdicts.contains(name));
    const std::string verdict = verdicts.at(name);
    ASSERT_TRUE(verdict == "PASS" || verdict == "FAIL") << "the run said " << verdict;
    EXPECT_EQ(again.contains(folder) ? again.at(folder) : "none", verdict)
        << "the exported case file, run again";

    const auto script = Run({"sh", (dir / "repro.sh").string(), device->path(), mnt});
    EXPECT_EQ(script.exit_code, verdict == "PASS" ? 0 : 1)
        << "eofzero said " << verdict << "; repro.sh printed:\n"
        << script.out << script.err;

    // The fstests test: valid sh; its golden output is what the model says a
    // correct filesystem prints — what the reproducer printed when it passed.
    const auto syntax = Run({"sh", "-n", (dir / "fstests" / "NNN").string()});
    EXPECT_EQ(syntax.exit_code, 0) << syntax.err;
    auto golden = Lines(ReadFile(dir / "fstests" / "NNN.out"));
    ASSERT_FALSE(golden.empty());
    EXPECT_EQ(golden.front(), "QA output created by NNN");
    golden.erase(golden.begin());
    if (script.exit_code == 0) {
      EXPECT_EQ(Lines(script.out), golden);
    } else if (script.exit_code == 1) {
      EXPECT_NE(Lines(script.out), golden);
      EXPECT_NE(script.out.find("not zero"), std::string::npos) << script.out;
    }
    // Run under a stub of fstests: its output is the golden one exactly when
    // the case passed (check's verdict), and it exits 0 either way.
    const auto test = RunFstests(dir / "fstests" / "NNN", wd.path() / "tree", config.fs,
                                 device->path(), mnt);
    EXPECT_EQ(test.exit_code, 0) << test.out << test.err;
    EXPECT_FALSE(fs::exists(wd.path() / "tree" / "results" / "generic" / "NNN.notrun"))
        << test.out;
    EXPECT_EQ(test.err, "");
    auto printed = Lines(test.out);
    if (!printed.empty()) printed.erase(printed.begin());
    if (verdict == "PASS")
      EXPECT_EQ(printed, golden) << test.out;
    else
      EXPECT_NE(test.out.find("not zero"), std::string::npos) << test.out;

    // The positive control of the script's checks, on a case that passed.
    if (verdict == "PASS" && script.exit_code == 0 && !self_tested) {
      const auto faulted = Run({"env", "EOFZERO_SELFTEST_FAULT=1", "sh",
                                (dir / "repro.sh").string(), device->path(), mnt});
      EXPECT_EQ(faulted.exit_code, 1) << faulted.out << faulted.err;
      EXPECT_NE(faulted.out.find("not zero"), std::string::npos) << faulted.out;
      self_tested = true;
    }
  }
  if (!self_tested)
    std::cerr << "note: no case passed on " << config.fs << ": no self-test of its script\n";
  ReleaseScratchImage(device, wd);
}

// append_write on xfs 4k, the RWF_DSYNC append on xfs, the O_DIRECT append
// on ext4, and truncate_up (a case that passes where the kernel is right).
TEST(Export, EachReproducerAndCaseFileGiveTheVerdictOfTheRun) {
  REQUIRE_ROOT();
  Workdir wd;
  fs::create_directory(wd.path() / "cases");
  WriteFile(wd.path() / "cases" / "append_rwf_dsync.toml", kRwfDsyncAppend);
  ExportAndReproduce(
      wd, {"xfs", {"append_write", "append_rwf_dsync", "copy_range_extend", "truncate_up"}});
  ExportAndReproduce(wd, {"ext4", {"dio_append_aligned", "truncate_up"}});
  ExpectNothingLeft(wd);
}

// Bad input: one line, exit 2, nothing written.
TEST(Export, RefusesBadInputWithOneLineAndWritesNothing) {
  Workdir wd;
  const fs::path out = wd.path() / "out";
  Ran ran = RunEofzero({"export", (wd.path() / "none.json").string(), "--output-dir",
                        out.string()});
  EXPECT_EQ(ran.exit_code, 2) << ran.err;
  WriteFile(wd.path() / "bad.json", "{ not json");
  ran = RunEofzero({"export", (wd.path() / "bad.json").string(), "--output-dir", out.string()});
  EXPECT_EQ(ran.exit_code, 2) << ran.err;
  EXPECT_EQ(std::count(ran.err.begin(), ran.err.end(), '\n'), 1) << ran.err;
  EXPECT_NE(ran.err.find("bad.json"), std::string::npos) << ran.err;
  EXPECT_FALSE(fs::exists(out));
}

}  // namespace
}  // namespace eofzero::itest
