#include "suite/worker_pool.h"

#include <gtest/gtest.h>

#include <csignal>

#include "suite/fake_clock.h"
#include "suite/fake_launcher.h"
#include "temp_dir.h"

namespace eofzero::suite {
namespace {

using Strings = std::vector<std::string>;
using test::FakeClock;
using test::FakeLauncher;

// Every event the pool tells its client, as a line.
class Recorder : public PoolClient {
 public:
  explicit Recorder(const std::filesystem::path& dir) : dir_(dir) {}
  Strings events;
  std::set<std::size_t> settle;  // jobs whose Command settles them itself
  std::optional<PoolCommand> Command(std::size_t i) override {
    events.push_back("command " + std::to_string(i));
    if (settle.contains(i)) return std::nullopt;
    return PoolCommand{{"/bin/worker", std::to_string(i)}, dir_ / ("w" + std::to_string(i) + ".log")};
  }
  void Watch(std::size_t i) override { watched[i]++; }
  void Ended(std::size_t i, const WorkerEnding& e) override {
    events.push_back("ended " + std::to_string(i) + ": " + e.result.Ending() +
                     (e.timed_out ? " timed out" : "") +
                     (e.interrupted_by ? " interrupted " + std::to_string(e.interrupted_by) : "") +
                     " after " + std::to_string(e.seconds).substr(0, 4) + "s");
  }
  void StartFailed(std::size_t i, const os::Error& error) override {
    events.push_back("failed " + std::to_string(i) + ": " + error.Message());
  }
  void Cancelled(std::size_t i, int signal) override {
    events.push_back("cancelled " + std::to_string(i) + " by " + std::to_string(signal));
  }
  void Running(const std::vector<std::size_t>& indices) override {
    std::string s;
    for (auto i : indices) s += (s.empty() ? "" : ",") + std::to_string(i);
    events.push_back("running " + s);
  }
  std::map<std::size_t, int> watched;

 private:
  std::filesystem::path dir_;
};

struct Fixture {
  eofzero::testing::TempDir dir;
  FakeLauncher launcher;
  FakeClock clock;
  Recorder client{dir.path()};
  PoolConfig config;
  int signal = 0;
  void Run(std::size_t jobs) {
    RunPool(jobs, config, client, launcher, clock, [this] { return signal; });
  }
  // On each sleep the oldest unfinished worker exits `code`.
  void EndInTurn(int code = 0) {
    clock.on_sleep = [this, code] {
      for (std::size_t i = 0; i < 100; ++i) {
        const std::string name = "w" + std::to_string(i);
        if (launcher.argv.contains(name) && !launcher.Ended(name)) {
          launcher.End(name, code);
          return;
        }
      }
    };
  }
};

TEST(WorkerPool, StartsJobsInOrderAtMostNAtOnceAndTellsEachEndingOnce) {
  Fixture f;
  f.config.parallel = 2;
  f.EndInTurn(1);
  f.Run(4);
  EXPECT_EQ(f.launcher.log, (Strings{"start w0", "start w1", "start w2", "start w3"}));
  EXPECT_EQ(f.launcher.most_running, 2u);
  EXPECT_EQ(f.launcher.argv["w2"], (Strings{"/bin/worker", "2"}));
  EXPECT_EQ(f.client.events,
            (Strings{"command 0", "command 1", "running 0,1", "ended 0: exited 1 after 0.05s",
                     "command 2", "running 1,2", "ended 1: exited 1 after 0.10s", "command 3",
                     "running 2,3", "ended 2: exited 1 after 0.05s", "running 3",
                     "ended 3: exited 1 after 0.05s"}));
  EXPECT_GE(f.client.watched[0], 1) << "watched while it ran";
}

TEST(WorkerPool, ParallelZeroRunsOneAtATime) {
  Fixture f;
  f.config.parallel = 0;
  f.EndInTurn();
  f.Run(3);
  EXPECT_EQ(f.launcher.most_running, 1u);
}

TEST(WorkerPool, AJobTheClientSettlesOrTheLauncherCannotStartIsToldOnceAndTheOthersRun) {
  Fixture f;
  f.client.settle = {0};
  f.launcher.start_errors["w1"] = os::Error{os::ErrorKind::kSystem, ENOENT, "spawn /bin/worker"};
  f.EndInTurn();
  f.Run(3);
  EXPECT_EQ(f.client.events,
            (Strings{"command 0", "command 1",
                     "failed 1: " + f.launcher.start_errors["w1"].Message(), "command 2",
                     "running 2", "ended 2: exited 0 after 0.05s"}));
}

TEST(WorkerPool, AWorkerStillRunningAtTheTimeoutIsKilledAndSaidSo) {
  Fixture f;
  f.config.parallel = 2;
  f.config.timeout = std::chrono::seconds(10);
  f.clock.on_sleep = [&] {
    if (f.clock.now.time_since_epoch() >= std::chrono::seconds(3)) f.launcher.End("w1", 0);
  };
  f.Run(2);
  EXPECT_EQ(f.launcher.log, (Strings{"start w0", "start w1", "kill w0"}));
  EXPECT_EQ(f.client.events,
            (Strings{"command 0", "command 1", "running 0,1", "ended 1: exited 0 after 3.00s",
                     "running 0", "ended 0: was killed by signal 9 (SIGKILL) timed out after 10.0s"}));
}

TEST(WorkerPool, AnInterruptAsksTheWorkersToStopKillsThoseThatLingerAfterTheGraceAndCancelsTheRest) {
  Fixture f;
  f.config.parallel = 2;
  f.launcher.ignores_sigterm = {"w1"};
  f.launcher.clock = &f.clock;
  f.clock.on_sleep = [&] {
    if (!f.signal) f.signal = SIGINT;
  };
  f.Run(4);
  EXPECT_EQ(f.launcher.log,
            (Strings{"start w0", "start w1", "terminate w0", "terminate w1", "kill w1"}))
      << "asked once, killed once, nothing started after the signal";
  const auto killed_after = f.launcher.ended_at["w1"] - std::chrono::milliseconds(50) -
                            FakeClock::TimePoint{};
  EXPECT_GT(killed_after, std::chrono::seconds(60)) << "not before the grace period";
  EXPECT_LT(killed_after, std::chrono::seconds(61));
  EXPECT_EQ(f.client.events[3], "cancelled 2 by 2");
  EXPECT_EQ(f.client.events[4], "cancelled 3 by 2");
  EXPECT_EQ(f.client.events[5], "ended 0: was killed by signal 15 (SIGTERM) interrupted 2 after 0.05s");
  EXPECT_EQ(f.client.events.back().substr(0, 64),
            "ended 1: was killed by signal 9 (SIGKILL) interrupted 2 after 60");
}

TEST(WorkerPool, WithoutAGracePeriodAnInterruptKillsAtOnce) {
  Fixture f;
  f.config.grace = std::chrono::seconds(0);
  f.clock.on_sleep = [&] { f.signal = SIGTERM; };
  f.Run(2);
  EXPECT_EQ(f.launcher.log, (Strings{"start w0", "kill w0"}));
  EXPECT_EQ(f.client.events,
            (Strings{"command 0", "running 0", "cancelled 1 by 15",
                     "ended 0: was killed by signal 9 (SIGKILL) interrupted 15 after 0.05s"}));
}

TEST(WorkerPool, AnInterruptBeforeAnythingStartsCancelsEveryJob) {
  Fixture f;
  f.signal = SIGHUP;
  f.Run(2);
  EXPECT_TRUE(f.launcher.log.empty());
  EXPECT_EQ(f.client.events, (Strings{"cancelled 0 by 1", "cancelled 1 by 1"}));
}

TEST(WorkerPool, RunWorkersSaysHowEachCommandWentInTheirOrder) {
  Fixture f;
  f.config.parallel = 3;
  f.launcher.start_errors["c"] = os::Error{os::ErrorKind::kSystem, ENOENT, "spawn"};
  f.clock.on_sleep = [&] {
    f.launcher.End("b", 1);
    if (f.launcher.Ended("b")) f.launcher.End("a", 0);
  };
  const std::vector<PoolCommand> commands = {{{"x"}, f.dir.path() / "a.log"},
                                             {{"x"}, f.dir.path() / "b.log"},
                                             {{"x"}, f.dir.path() / "c.log"}};
  auto outcomes = RunWorkers(commands, f.config, f.launcher, f.clock, [] { return 0; });
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(std::get<WorkerEnding>(outcomes[0]).result.exit_code, 0);
  EXPECT_EQ(std::get<WorkerEnding>(outcomes[1]).result.exit_code, 1);
  EXPECT_EQ(std::get<StartFailure>(outcomes[2]).error.Message(), "spawn: No such file or directory");
  outcomes = RunWorkers(commands, f.config, f.launcher, f.clock, [] { return SIGINT; });
  EXPECT_EQ(std::get<Cancellation>(outcomes[1]).signal, SIGINT);
}

}  // namespace
}  // namespace eofzero::suite
