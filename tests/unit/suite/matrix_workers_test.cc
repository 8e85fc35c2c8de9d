#include "suite/matrix_workers.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "report/json_report.h"
#include "suite/fake_clock.h"
#include "suite/fake_launcher.h"
#include "temp_dir.h"

namespace eofzero::suite {
namespace {

using oracles::Outcome;
using Strings = std::vector<std::string>;

using test::FakeClock;
using test::FakeLauncher;

// Progress as the matrix reports it.
class ProgressLog : public report::MatrixReporter {
 public:
  Strings lines;
  void Running(const Strings& names) override {
    std::string s;
    for (const auto& n : names) s += (s.empty() ? "" : ",") + n;
    lines.push_back("running: " + s);
  }
  void ConfigDone(std::size_t n, std::size_t of, const report::ConfigRecord& c,
                  double seconds) override {
    char buf[64];
    std::snprintf(buf, sizeof buf, " %.2fs", seconds);
    lines.push_back("[" + std::to_string(n) + "/" + std::to_string(of) + "] " + c.config.name +
                    buf);
  }
};

MatrixJob Job(const std::string& name, Strings cases = {"append_write", "truncate_up"}) {
  MatrixJob job;
  job.entry.name = name;
  job.entry.fs = fsdriver::FsType::kXfs;
  job.cases = std::move(cases);
  return job;
}

struct Matrix {
  eofzero::testing::TempDir dir;
  std::vector<MatrixJob> jobs;
  RunOptions options;
  FakeLauncher launcher;
  FakeClock clock;
  ProgressLog progress;
  int signal = 0;
  unsigned parallel = 2;

  std::vector<report::ConfigRecord> Run() {
    spdlog::set_level(spdlog::level::warn);  // the scheduler says each start at info
    MatrixWorkersConfig config;
    config.parallel = parallel;
    config.program = "/usr/bin/eofzero";
    config.dir = dir.path();
    return RunMatrixWorkers(jobs, options, config, launcher, progress, clock,
                            [this] { return signal; });
  }

  // What worker `name` reports before it exits: each of its cases with `outcome`.
  void WriteReport(const std::string& name, Outcome outcome, int interrupted_by = 0) {
    report::RunRecord record;
    record.interrupted_by = interrupted_by;
    report::ConfigRecord c;
    c.config = {"xfs", 4096, "mkfs.xfs -f /dev/loop7", "", "/dev/loop7", name};
    for (const auto& job : jobs)
      if (job.entry.name == name)
        for (const auto& case_name : job.cases) {
          report::CaseRecord r;
          r.case_name = case_name;
          r.outcome = outcome;
          r.summary = case_name + " " + oracles::OutcomeName(outcome);
          c.cases.push_back(r);
        }
    record.configs = {c};
    std::ofstream(dir.path() / (name + ".json")) << report::ToJson(record).dump();
  }

  // Ends the oldest running worker on every sleep, having it report `outcome`.
  void EndInTurn(Outcome outcome = Outcome::kPass) {
    clock.on_sleep = [this, outcome] {
      for (const auto& job : jobs) {
        const auto& name = job.entry.name;
        if (!launcher.argv.contains(name) || launcher.Ended(name)) continue;
        WriteReport(name, outcome);
        launcher.End(name, outcome == Outcome::kFail ? 1 : 0);
        return;
      }
    };
  }
};

const report::CaseRecord& CaseOf(const report::ConfigRecord& c, const std::string& name) {
  for (const auto& r : c.cases)
    if (r.case_name == name) return r;
  static report::CaseRecord none;
  return none;
}

TEST(MatrixWorkers, StartsTheJobsInOrderAtMostNAtOnceAndMergesEachReport) {
  Matrix m;
  for (auto name : {"a", "b", "c", "d", "e"}) m.jobs.push_back(Job(name));
  m.EndInTurn();
  auto records = m.Run();
  EXPECT_EQ(m.launcher.log, (Strings{"start a", "start b", "start c", "start d", "start e"}));
  EXPECT_EQ(m.launcher.most_running, 2u);
  ASSERT_EQ(records.size(), 5u);
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].config.name, m.jobs[i].entry.name);
    EXPECT_EQ(records[i].config.mkfs_command, "mkfs.xfs -f /dev/loop7");
    EXPECT_TRUE(records[i].setup_error.empty()) << records[i].setup_error;
    EXPECT_EQ(CaseOf(records[i], "truncate_up").outcome, Outcome::kPass);
  }
  const Strings& argv = m.launcher.argv["c"];
  ASSERT_GE(argv.size(), 3u);
  EXPECT_EQ(argv[0], "/usr/bin/eofzero");
  EXPECT_EQ(argv[1], "run");
  EXPECT_NE(std::find(argv.begin(), argv.end(), "--output=" + (m.dir.path() / "c.json").string()),
            argv.end());
}

TEST(MatrixWorkers, ProgressGoesToTheReporterWithEachConfigurationsTime) {
  Matrix m;
  for (auto name : {"a", "b", "c"}) m.jobs.push_back(Job(name));
  m.EndInTurn();
  m.Run();
  EXPECT_EQ(m.progress.lines, (Strings{"running: a,b", "[1/3] a 0.05s", "running: b,c",
                                       "[2/3] b 0.10s", "running: c", "[3/3] c 0.05s"}));
}

TEST(MatrixWorkers, AWorkerThatExitsWithAFailureIsMergedLikeOneThatPassed) {
  Matrix m;
  m.jobs = {Job("a")};
  m.jobs[0].entry.expected_failures = {{"append_write", {"known"}}};
  m.EndInTurn(Outcome::kFail);
  auto records = m.Run();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_TRUE(records[0].setup_error.empty()) << records[0].setup_error;
  EXPECT_EQ(CaseOf(records[0], "append_write").outcome, Outcome::kFail);
  EXPECT_TRUE(CaseOf(records[0], "append_write").expected_failure) << "its declaration applied";
  EXPECT_FALSE(CaseOf(records[0], "truncate_up").not_run);
}

TEST(MatrixWorkers, AWorkerThatDiesOrWritesNoReportLeavesItsCasesAsErrorsAndSaysWhy) {
  Matrix m;
  m.jobs = {Job("killed"), Job("silent"), Job("broken")};
  m.parallel = 3;
  m.clock.on_sleep = [&] {
    m.launcher.End("killed", -1, SIGKILL);
    m.launcher.End("silent", 0);  // exited 0 without a report
    m.WriteReport("broken", Outcome::kPass);
    m.launcher.End("broken", 3);  // a report, but not an exit status of a finished run
  };
  auto records = m.Run();
  ASSERT_EQ(records.size(), 3u);
  const auto& killed = CaseOf(records[0], "append_write");
  EXPECT_EQ(killed.outcome, Outcome::kError);
  EXPECT_TRUE(killed.not_run);
  EXPECT_EQ(killed.summary,
            "not run: the worker was killed by signal 9 (SIGKILL) and it wrote no report");
  EXPECT_EQ(records[0].setup_error,
            "the worker was killed by signal 9 (SIGKILL) and it wrote no report, its last lines: "
            "eofzero: info: killed starts | eofzero: info: killed works");
  EXPECT_EQ(CaseOf(records[1], "truncate_up").summary,
            "not run: the worker exited 0 and it wrote no report");
  EXPECT_EQ(CaseOf(records[2], "truncate_up").outcome, Outcome::kPass) << "what it reported stays";
  EXPECT_EQ(records[2].setup_error.rfind("the worker exited 3, its last lines: ", 0), 0u)
      << records[2].setup_error;
}

TEST(MatrixWorkers, AWorkerThatCannotBeStartedLeavesItsCasesAsErrors) {
  Matrix m;
  m.jobs = {Job("a"), Job("b")};
  m.launcher.start_errors["a"] = os::Error{os::ErrorKind::kSystem, ENOENT, "spawn /x"};
  m.EndInTurn();
  auto records = m.Run();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(CaseOf(records[0], "append_write").summary,
            "not run: " + m.launcher.start_errors["a"].Message());
  EXPECT_EQ(CaseOf(records[1], "append_write").outcome, Outcome::kPass);
  EXPECT_EQ(m.progress.lines.front(), "[1/2] a 0.00s");
}

TEST(MatrixWorkers, AnInterruptStopsTheWorkersKillsThoseThatLingerAndStartsNoMore) {
  Matrix m;
  for (auto name : {"a", "b", "c", "d"}) m.jobs.push_back(Job(name));
  m.launcher.ignores_sigterm = {"b"};
  m.launcher.clock = &m.clock;
  std::optional<Clock::TimePoint> interrupted;
  m.clock.on_sleep = [&] {
    if (!m.signal) {
      m.signal = SIGINT;
      interrupted = m.clock.now;
    }
  };
  auto records = m.Run();
  EXPECT_EQ(m.launcher.log, (Strings{"start a", "start b", "terminate a", "terminate b", "kill b"}))
      << "asked once, killed once, nothing started after the signal";
  ASSERT_TRUE(interrupted && m.launcher.ended_at.contains("b"));
  const auto killed_after = m.launcher.ended_at["b"] - *interrupted;
  EXPECT_GT(killed_after, std::chrono::seconds(60)) << "not before the grace period";
  EXPECT_LT(killed_after, std::chrono::seconds(61));
  ASSERT_EQ(records.size(), 4u);
  const std::string not_run = "not run: interrupted by signal 2 (SIGINT)";
  EXPECT_EQ(CaseOf(records[0], "append_write").summary, not_run) << "stopped by the matrix";
  EXPECT_TRUE(records[0].setup_error.empty()) << records[0].setup_error;
  EXPECT_EQ(CaseOf(records[1], "append_write").summary,
            "not run: the worker was killed by signal 9 (SIGKILL) and it wrote no report");
  for (std::size_t i : {2u, 3u}) {
    EXPECT_EQ(CaseOf(records[i], "truncate_up").summary, not_run) << "never started";
    EXPECT_TRUE(CaseOf(records[i], "truncate_up").not_run);
  }
}

TEST(MatrixWorkers, AWorkerStoppedByTheInterruptKeepsWhatItReported) {
  Matrix m;
  m.jobs = {Job("a")};
  m.launcher.ignores_sigterm = {"a"};
  m.clock.on_sleep = [&] {
    if (!m.signal) {
      m.signal = SIGTERM;
      return;
    }
    // The worker finishes what it can, reports the rest as not run, exits 130.
    m.WriteReport("a", Outcome::kPass, SIGINT);
    m.launcher.End("a", 130);
  };
  auto records = m.Run();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_TRUE(records[0].setup_error.empty()) << records[0].setup_error;
  EXPECT_EQ(CaseOf(records[0], "append_write").outcome, Outcome::kPass);
  EXPECT_EQ(m.launcher.log, (Strings{"start a", "terminate a"}));
}

}  // namespace
}  // namespace eofzero::suite
