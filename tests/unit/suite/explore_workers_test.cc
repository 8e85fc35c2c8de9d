#include "suite/explore_workers.h"

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

#include "report/record.h"
#include "suite/fake_clock.h"
#include "suite/fake_launcher.h"
#include "temp_dir.h"

namespace eofzero::suite {
namespace {

using Strings = std::vector<std::string>;

TEST(ExploreWorkers, AWorkerHasTheCommandLineLessResultsAndResumeThenItsSliceAndFile) {
  const Strings args = {"explore", "--fs", "ext4", "--results", "mine.jsonl", "-j", "2",
                        "--results=other.jsonl", "--resume", "--depth", "1"};
  EXPECT_EQ(ExploreWorkerArgs(args, 2, 3, "/d/worker-2.jsonl"),
            (Strings{"explore", "--fs", "ext4", "-j", "2", "--depth", "1",
                     "--worker-slice=2/3", "--results=/d/worker-2.jsonl"}));
}

LoggedRun Logged(const std::string& name, oracles::Outcome outcome = oracles::Outcome::kPass) {
  LoggedRun r;
  r.config = "ext4/4k";
  r.case_name = name;
  r.outcome = outcome;
  if (outcome == oracles::Outcome::kFail) r.finding = explore::FindingKind{"stale", true};
  return r;
}

TEST(ExploreWorkers, TheJoinedLinesAreEveryWorkersInWorkerOrderAndParseBack) {
  std::vector<WorkerResults> workers(3);
  workers[0].runs = {Logged("a"), Logged("b", oracles::Outcome::kFail)};
  workers[2].runs = {Logged("c")};
  auto parsed = ParseResults(JoinResults(workers));
  ASSERT_TRUE(parsed) << parsed.error();
  EXPECT_FALSE(parsed->torn);
  ASSERT_EQ(parsed->runs.size(), 3u);
  EXPECT_EQ(parsed->runs[0].case_name, "a");
  EXPECT_EQ(parsed->runs[1].case_name, "b");
  ASSERT_TRUE(parsed->runs[1].finding);
  EXPECT_EQ(parsed->runs[1].finding->kind, "stale");
  EXPECT_EQ(parsed->runs[2].case_name, "c");
}

TEST(ExploreWorkers, EachWorkerGivesItsLinesAndWhyTheOthersOfItsSliceDidNotRun) {
  testing::TempDir dir;
  test::FakeLauncher launcher;
  test::FakeClock clock;
  launcher.start_errors["worker-3"] = os::Error{os::ErrorKind::kSystem, ENOENT, "spawn"};
  clock.on_sleep = [&] {
    // Worker 1 wrote two lines and a third cut short, and finished; worker
    // 2 one line, and was killed.
    std::ofstream(dir.path() / "worker-1.jsonl")
        << JoinResults({{{Logged("a"), Logged("b")}, ""}}) << "{\"config\":";
    std::ofstream(dir.path() / "worker-2.jsonl") << JoinResults({{{Logged("c")}, ""}});
    launcher.End("worker-1", 0);
    launcher.End("worker-2", -1, SIGKILL);
  };
  const auto workers = RunExploreWorkers("/bin/eofzero", {"explore", "--results", "x"}, 3,
                                         dir.path(), launcher, clock, [] { return 0; });
  ASSERT_EQ(workers.size(), 3u);
  EXPECT_EQ(launcher.argv["worker-1"],
            (Strings{"/bin/eofzero", "explore", "--worker-slice=1/3",
                     "--results=" + (dir.path() / "worker-1.jsonl").string()}));
  ASSERT_EQ(workers[0].runs.size(), 2u);
  EXPECT_EQ(workers[0].runs[1].case_name, "b");
  EXPECT_EQ(workers[0].why,
            "the worker exited 0 without writing it, its last lines: "
            "eofzero: info: worker-1 starts | eofzero: info: worker-1 works");
  ASSERT_EQ(workers[1].runs.size(), 1u);
  EXPECT_EQ(workers[1].why.substr(0, 52), "the worker was killed by signal 9 (SIGKILL), its las");
  EXPECT_TRUE(workers[2].runs.empty());
  EXPECT_EQ(workers[2].why, "the worker did not start: spawn: No such file or directory");
}

TEST(ExploreWorkers, AnInterruptStopsTheWorkersAndTheirRunsNotDoneSaySo) {
  testing::TempDir dir;
  test::FakeLauncher launcher;
  test::FakeClock clock;
  int signal = 0;
  clock.on_sleep = [&] {
    std::ofstream(dir.path() / "worker-1.jsonl") << JoinResults({{{Logged("a")}, ""}});
    signal = SIGINT;
  };
  const auto workers = RunExploreWorkers("/bin/eofzero", {"explore"}, 2, dir.path(), launcher,
                                         clock, [&] { return signal; });
  ASSERT_EQ(workers.size(), 2u);
  EXPECT_EQ(launcher.log, (Strings{"start worker-1", "start worker-2", "terminate worker-1",
                                   "terminate worker-2"}));
  EXPECT_EQ(workers[0].runs.size(), 1u);
  EXPECT_EQ(workers[0].why, report::Interruption(SIGINT));
  EXPECT_EQ(workers[1].why, report::Interruption(SIGINT));
}

}  // namespace
}  // namespace eofzero::suite
