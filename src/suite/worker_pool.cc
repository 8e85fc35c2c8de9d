#include "suite/worker_pool.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>

namespace eofzero::suite {
namespace {

class PoolRun {
 public:
  PoolRun(std::size_t jobs, const PoolConfig& config, PoolClient& client, WorkerLauncher& launcher,
       Clock& clock, const InterruptPoll& interrupt)
      : jobs_(jobs),
        config_(config),
        client_(client),
        launcher_(launcher),
        clock_(clock),
        interrupt_(interrupt) {}

  void Run() {
    const std::size_t parallel = std::max(config_.parallel, 1u);
    while (next_ < jobs_ || !running_.empty()) {
      while (!interrupt_() && next_ < jobs_ && running_.size() < parallel) Start(next_++);
      ShowRunning();
      if (const int signal = interrupt_()) Stop(signal);
      Reap();
      if (!running_.empty()) clock_.SleepFor(config_.poll_interval);
    }
  }

 private:
  struct Running {
    std::size_t index;
    std::unique_ptr<Worker> worker;
    Clock::TimePoint started;
    bool killed = false;
  };

  void Start(std::size_t index) {
    auto command = client_.Command(index);
    if (!command) return;
    auto worker = launcher_.Start(command->argv, command->log);
    if (!worker) {
      client_.StartFailed(index, worker.error());
      return;
    }
    spdlog::debug("pool: job {} runs as pid {}", index, (*worker)->Pid());
    running_.push_back({index, std::move(*worker), clock_.Now()});
    changed_ = true;
  }

  // Which jobs run, when that changed.
  void ShowRunning() {
    if (!changed_) return;
    std::vector<std::size_t> indices;
    for (const auto& r : running_) indices.push_back(r.index);
    client_.Running(indices);
    changed_ = false;
  }

  // Asked once (or killed at once with no grace); a worker still running
  // after the grace period is killed. The jobs not started are cancelled.
  void Stop(int signal) {
    if (!interrupted_at_) {
      interrupted_at_ = clock_.Now();
      interrupted_by_ = signal;
      for (auto& r : running_) {
        if (config_.grace.count() > 0) {
          r.worker->Terminate();
        } else {
          r.worker->Kill();
          r.killed = true;
        }
      }
    } else if (clock_.Now() - *interrupted_at_ > config_.grace) {
      for (auto& r : running_)
        if (!r.killed) {
          r.worker->Kill();
          r.killed = true;
        }
    }
    for (; next_ < jobs_; ++next_) client_.Cancelled(next_, signal);
  }

  void Reap() {
    for (auto it = running_.begin(); it != running_.end();) {
      client_.Watch(it->index);
      auto ended = it->worker->Poll();
      const bool timed_out =
          !ended && config_.timeout && clock_.Now() - it->started >= *config_.timeout;
      if (timed_out) {
        it->worker->Kill();
        while (!(ended = it->worker->Poll())) clock_.SleepFor(std::chrono::milliseconds(10));
      }
      if (!ended) {
        ++it;
        continue;
      }
      WorkerEnding ending{*ended, timed_out, interrupted_by_,
                          SecondsBetween(it->started, clock_.Now())};
      const std::size_t index = it->index;
      it = running_.erase(it);
      changed_ = true;
      client_.Ended(index, ending);
    }
  }

  const std::size_t jobs_;
  const PoolConfig& config_;
  PoolClient& client_;
  WorkerLauncher& launcher_;
  Clock& clock_;
  const InterruptPoll& interrupt_;
  std::vector<Running> running_;
  std::size_t next_ = 0;
  bool changed_ = false;
  std::optional<Clock::TimePoint> interrupted_at_;
  int interrupted_by_ = 0;
};

class OutcomeCollector : public PoolClient {
 public:
  explicit OutcomeCollector(const std::vector<PoolCommand>& commands)
      : commands_(commands), outcomes_(commands.size()) {}
  std::optional<PoolCommand> Command(std::size_t index) override { return commands_[index]; }
  void Ended(std::size_t index, const WorkerEnding& ending) override { outcomes_[index] = ending; }
  void StartFailed(std::size_t index, const os::Error& error) override {
    outcomes_[index] = StartFailure{error};
  }
  void Cancelled(std::size_t index, int signal) override {
    outcomes_[index] = Cancellation{signal};
  }
  std::vector<WorkerOutcome> Take() { return std::move(outcomes_); }

 private:
  const std::vector<PoolCommand>& commands_;
  std::vector<WorkerOutcome> outcomes_;
};

}  // namespace

void RunPool(std::size_t jobs, const PoolConfig& config, PoolClient& client,
             WorkerLauncher& launcher, Clock& clock, const InterruptPoll& interrupt) {
  PoolRun(jobs, config, client, launcher, clock, interrupt).Run();
}

std::vector<WorkerOutcome> RunWorkers(const std::vector<PoolCommand>& commands,
                                      const PoolConfig& config, WorkerLauncher& launcher,
                                      Clock& clock, const InterruptPoll& interrupt) {
  OutcomeCollector collector(commands);
  RunPool(commands.size(), config, collector, launcher, clock, interrupt);
  return collector.Take();
}

}  // namespace eofzero::suite
