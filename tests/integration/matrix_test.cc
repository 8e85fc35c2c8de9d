// `eofzero matrix` on real loop devices. The positive control is a case that
// fails by construction (fixtures/cases/always_fail: a wrong `expect size`):
// declared for size findings in one configuration it keeps the matrix green
// there; declared for gap findings only in another, it turns the matrix red. The verdicts of real cases are only checked for
// consistency, never for what this kernel does.
#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <regex>

#include "harness.h"
#include "os/child.h"
#include "os/mount.h"
#include "os/process.h"
#include "os/unique_fd.h"
#include "report/json_report.h"
#include "report/standing.h"

namespace eofzero::itest {
namespace {

const std::string kControlCases = std::string(EOFZERO_FIXTURES_DIR) + "/cases/always_fail";

const report::CaseRecord* Find(const report::RunRecord& record, const std::string& config,
                               const std::string& name) {
  for (const auto& c : record.configs)
    for (const auto& r : c.cases)
      if (c.config.name == config && r.case_name == name) return &r;
  return nullptr;
}

TEST(Matrix, DeclaredFailuresStayGreenNewOnesTurnItRedAndPassesOfDeclaredOnesToo) {
  REQUIRE_ROOT();
  Workdir wd;
  const auto config = wd.path() / "matrix.toml";
  WriteFile(config, R"(cases = ["truncate_up", "size_expected_wrong"]
[[config]]
name = "ext4-declared"
fs = "ext4"
[config.expected_failures]
size_expected_wrong = { reason = "positive control: fails by construction", findings = ["size"] }

[[config]]
name = "xfs-undeclared"
fs = "xfs"
[config.expected_failures]
truncate_up = "declared to show an unexpected pass, if it passes here"
size_expected_wrong = "declared for a gap bug: must not hide its size failure"
)");
  const auto json_path = wd.path() / "matrix.json";
  Ran ran = RunEofzero({"matrix", "--config", config.string(), "--cases-dir", kControlCases,
                        "-j", "2", "--workdir", wd.str(), "--format", "json", "--output",
                        json_path.string()});
  std::cout << ran.out;
  auto record = report::RunRecordFromJson(
      nlohmann::ordered_json::parse(ReadFile(json_path), nullptr, false));
  ASSERT_TRUE(record) << record.error() << "\n" << ran.out << ran.err;
  ASSERT_EQ(record->configs.size(), 2u);

  const auto* declared = Find(*record, "ext4-declared", "size_expected_wrong");
  const auto* undeclared = Find(*record, "xfs-undeclared", "size_expected_wrong");
  const auto* truncate = Find(*record, "xfs-undeclared", "truncate_up");
  ASSERT_TRUE(declared && undeclared && truncate) << ran.out;
  EXPECT_EQ(report::StandingOf(*declared), report::Standing::kExpectedFail) << declared->summary;
  EXPECT_EQ(report::StandingOf(*undeclared), report::Standing::kNewFail) << undeclared->summary;
  EXPECT_NE(undeclared->summary.find("size"), std::string::npos) << undeclared->summary;
  // Whatever truncate_up does on this kernel, its standing follows from it.
  EXPECT_EQ(report::StandingOf(*truncate),
            truncate->outcome == oracles::Outcome::kPass ? report::Standing::kUnexpectedPass
                                                         : report::Standing::kExpectedFail);
  EXPECT_EQ(ran.exit_code, 1) << "a new failure turns the matrix red\n" << ran.out << ran.err;
  EXPECT_NE(ran.out.find("[2/2] "), std::string::npos) << ran.out;
  EXPECT_TRUE(std::regex_search(ran.out, std::regex("\nsize_expected_wrong +xfail +FAIL\n")))
      << ran.out;
  EXPECT_NE(ran.out.find("declared as an expected failure of kind gap, but it found size"),
            std::string::npos)
      << ran.out;

  // The same results again as markdown, for a CI summary.
  Ran md = RunEofzero({"report", json_path.string(), "--format", "markdown"});
  EXPECT_NE(md.out.find("| size_expected_wrong | xfail | **FAIL** |"), std::string::npos)
      << md.out;
  ExpectNothingLeft(wd);
}

TEST(Matrix, AllDeclaredIsGreen) {
  REQUIRE_ROOT();
  Workdir wd;
  const auto config = wd.path() / "matrix.toml";
  WriteFile(config, R"([[config]]
name = "ext4-only"
fs = "ext4"
cases = ["size_expected_wrong"]
[config.expected_failures]
size_expected_wrong = { reason = "positive control: fails by construction", findings = ["size"] }
)");
  Ran ran = RunEofzero({"matrix", "--config", config.string(), "--cases-dir", kControlCases,
                        "--workdir", wd.str()});
  EXPECT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  ExpectNothingLeft(wd);
}

TEST(Matrix, ABadMatrixFileIsOneLineExit2AndNothingIsTouched) {
  REQUIRE_ROOT();
  Workdir wd;
  const auto config = wd.path() / "matrix.toml";
  WriteFile(config, "[[config]]\nname = \"x\"\nfs = \"ext4\"\n[config.expected_failures]\n"
                    "no_such_case = \"a typo\"\n");
  const auto before = wd.Contents();
  Ran ran = RunEofzero({"matrix", "--config", config.string(), "--workdir", wd.str()});
  EXPECT_EQ(ran.exit_code, 2);
  EXPECT_EQ(ran.err, "eofzero: " + config.string() +
                         ":1: x: expected failure 'no_such_case' is not a case this "
                         "configuration runs\n");
  EXPECT_EQ(wd.Contents(), before);
}

// Interrupted, the matrix stops its workers; they release everything. Its
// report says it was interrupted and accounts for every configuration: the
// cases that did not run (in the stopped workers, and in the configurations
// never started) are not-run ERRORs, and no stopped worker is blamed.
TEST(Matrix, AnInterruptStopsTheWorkersAndLeavesNothingBehind) {
  REQUIRE_ROOT();
  Workdir wd;
  const auto json_path = wd.path() / "matrix.json";
  // Held as it is about to start its second worker.
  Ran ran = RunEofzeroAndInterrupt({"matrix", "-j", "2", "--workdir", wd.str(), "--format", "json",
                                    "--output", json_path.string()},
                                   "matrix: starting ext4-1k: ", SIGTERM);
  EXPECT_TRUE(ran.marker_seen) << ran.err;
  EXPECT_EQ(ran.exit_code, 128 + SIGTERM) << ran.err;
  ExpectNothingLeft(wd);

  auto record = report::RunRecordFromJson(
      nlohmann::ordered_json::parse(ReadFile(json_path), nullptr, false));
  ASSERT_TRUE(record) << record.error() << "\n" << ReadFile(json_path);
  EXPECT_EQ(record->interrupted_by, SIGTERM);
  const int configs =
      CountOccurrences(ReadFile(EOFZERO_SOURCE_DIR "/scripts/matrix.toml"), "[[config]]");
  ASSERT_EQ(static_cast<int>(record->configs.size()), configs);
  const std::string why = "not run: interrupted by signal 15 (SIGTERM)";
  for (const auto& c : record->configs) {
    SCOPED_TRACE(c.config.name);
    EXPECT_FALSE(c.cases.empty());
    EXPECT_EQ(c.setup_error, "") << "a worker the matrix stopped is not at fault";
    for (const auto& r : c.cases)
      if (r.not_run) {
        EXPECT_EQ(r.outcome, oracles::Outcome::kError) << r.case_name;
      }
  }
  const auto& never_started = record->configs.back();
  for (const auto& r : never_started.cases) {
    EXPECT_TRUE(r.not_run) << r.case_name;
    EXPECT_EQ(r.summary, why) << r.case_name;
  }
  Ran human = RunEofzero({"report", json_path.string()});
  EXPECT_NE(human.out.find("interrupted by signal 15 (SIGTERM); did not run:\n"),
            std::string::npos)
      << human.out;
  EXPECT_NE(human.out.find("\n  " + never_started.config.name + ": all "), std::string::npos)
      << human.out;
}

// A worker killed outright (held after its first mount) cannot clean up: its
// guardian releases its mount, loop device and folder. Its cases are ERRORs,
// never passes.
TEST(Matrix, AWorkerKilledWithSigkillLeavesNothingBehindAndItsCasesAreErrors) {
  REQUIRE_ROOT();
  Workdir wd;
  const auto config = wd.path() / "matrix.toml";
  WriteFile(config, "cases = [\"*\"]\n[[config]]\nname = \"ext4-victim\"\nfs = \"ext4\"\n");
  const auto json_path = wd.path() / "matrix.json";
  // A registry of its own: a live run elsewhere on the machine whose entry
  // still names the device number the worker gets would keep the guardian
  // from releasing it (what is a live run's is left alone).
  const std::string state = wd.str() + ".state";
  Ran ran = RunMatrixKillingAWorker({"matrix", "--config", config.string(), "--workdir", wd.str(),
                                     "--format", "json", "--output", json_path.string()},
                                    {"EOFZERO_STATE_DIR=" + state});
  ASSERT_TRUE(ran.marker_seen) << ran.err;
  EXPECT_EQ(ran.exit_code, 3) << ran.err;
  auto record = report::RunRecordFromJson(
      nlohmann::ordered_json::parse(ReadFile(json_path), nullptr, false));
  ASSERT_TRUE(record) << record.error();
  int errors = 0;
  for (const auto& r : record->configs.at(0).cases) {
    EXPECT_NE(r.outcome, oracles::Outcome::kPass) << r.case_name << " passed after its worker died";
    errors += r.outcome == oracles::Outcome::kError;
  }
  EXPECT_GT(errors, 0);
  EXPECT_NE(record->configs.at(0).setup_error.find("the worker was killed by signal 9 (SIGKILL)"),
            std::string::npos)
      << record->configs.at(0).setup_error;
  EXPECT_EQ(record->interrupted_by, 0) << "the matrix itself was not interrupted";
  ExpectNothingLeft(wd);
  std::error_code ec;
  EXPECT_TRUE(std::filesystem::is_empty(state + "/runs", ec)) << "the worker's entry stayed";
  std::filesystem::remove_all(state, ec);
}

// The matrix must not keep anyone else's filesystem alive: one the host
// unmounts while the matrix runs is released at once (its device opens
// O_EXCL again). Workers in private copies of the mount namespace pinned it.
TEST(Matrix, AFilesystemUnmountedWhileItRunsIsNotPinned) {
  REQUIRE_ROOT();
  Workdir wd;
  auto loop = AttachScratchImage(wd, "host.img", 64 << 20);
  ASSERT_TRUE(loop) << loop.error().Message();
  auto made = os::RunProcess({"mkfs.ext4", "-F", "-q", loop->path()});
  ASSERT_TRUE(made && made->ok());
  std::filesystem::create_directory(wd.path() / "host");
  auto host = os::Mount::Create(loop->path(), wd.path() / "host", "ext4", "");
  ASSERT_TRUE(host) << host.error().Message();
  const auto config = wd.path() / "matrix.toml";
  WriteFile(config, "cases = [\"truncate_up\"]\n[[config]]\nname = \"a\"\nfs = \"ext4\"\n");
  std::filesystem::create_directory(wd.path() / "work");
  // Held once its first worker has a mount of its own.
  HeldRun matrix({"matrix", "--config", config.string(), "-j", "1", "--workdir",
                  (wd.path() / "work").string()},
                 "mounted /dev/loop");
  auto held = matrix.WaitHeld();
  ASSERT_TRUE(held);
  ASSERT_NE(held->pid, matrix.pid()) << "a worker mounts, not the matrix: " << held->message;
  ASSERT_NE(ReadFile("/proc/" + std::to_string(held->pid) + "/mountinfo")
                .find((wd.path() / "work").string()),
            std::string::npos);
  ASSERT_TRUE(host->Unmount());
  auto exclusive = os::OpenFile(loop->path(), O_RDONLY | O_EXCL);
  EXPECT_TRUE(exclusive) << "the unmounted filesystem is still held: "
                         << exclusive.error().Message();
  exclusive = os::UniqueFd();
  ::kill(matrix.pid(), SIGTERM);
  Ran ran = matrix.Wait();
  EXPECT_EQ(ran.exit_code, 128 + SIGTERM) << ran.err;
  EXPECT_TRUE(loop->Detach());
  ExpectNothingLeft(wd);
}

}  // namespace
}  // namespace eofzero::itest
