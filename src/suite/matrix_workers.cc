#include "suite/matrix_workers.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <optional>

#include "suite/exit_status.h"
#include "suite/matrix_merge.h"
#include "suite/worker_pool.h"

namespace eofzero::suite {
namespace {

class MatrixClient : public PoolClient {
 public:
  MatrixClient(const std::vector<MatrixJob>& jobs, const RunOptions& options,
               const MatrixWorkersConfig& config, report::MatrixReporter& reporter)
      : jobs_(jobs), options_(options), config_(config), reporter_(reporter),
        results_(jobs.size()) {}

  std::optional<PoolCommand> Command(std::size_t index) override {
    const MatrixJob& job = jobs_[index];
    PoolCommand command{{config_.program.string()}, Log(index)};
    for (auto& a : WorkerArgs(job, options_, config_.dir, Json(index)))
      command.argv.push_back(std::move(a));
    spdlog::info("matrix: starting {}: {}", job.entry.name, fmt::join(command.argv, " "));
    return command;
  }

  void StartFailed(std::size_t index, const os::Error& error) override {
    Done(index, MergeWorker(jobs_[index], nullptr, error.Message()), 0);
  }

  // Not shown as done: the run was interrupted.
  void Cancelled(std::size_t index, int signal) override {
    results_[index] = MergeWorker(jobs_[index], nullptr, report::Interruption(signal));
  }

  // Which configurations are running (a terminal shows it).
  void Running(const std::vector<std::size_t>& indices) override {
    std::vector<std::string> names;
    for (auto i : indices) names.push_back(jobs_[i].entry.name);
    reporter_.Running(names);
  }

  // A worker's report, or why there is none, folded into its configuration.
  void Ended(std::size_t index, const WorkerEnding& ending) override {
    const MatrixJob& job = jobs_[index];
    const auto& ended = ending.result;
    auto worker = ReadWorkerReport(Json(index));
    std::string why = worker ? "" : worker.error();
    const bool finished = ended.exit_code == kExitPass || ended.exit_code == kExitFail;
    // A worker the matrix stopped when it was interrupted: its report says
    // so (with the cases it did not run as not-run ERRORs), or the SIGTERM
    // ended it before it could write one. Not the worker's failure.
    const bool stopped = ending.interrupted_by != 0 &&
                         (worker ? worker->interrupted_by != 0 : ended.term_signal == SIGTERM);
    const bool ok = (worker && finished) || stopped;
    if (stopped)
      why = report::Interruption(ending.interrupted_by);
    else if (!ok)
      why = "the worker " + ended.Ending() + (why.empty() ? "" : " and " + why) +
            (options_.keep ? " (log: " + Log(index).string() + ")" : "");
    auto merged = MergeWorker(job, worker ? &*worker : nullptr, why);
    if (!ok) {
      merged.setup_error += (merged.setup_error.empty() ? "" : "; ") + why +
                            ", its last lines: " + LogTail(Log(index), 3);
    }
    Done(index, std::move(merged), ending.seconds);
  }

  std::vector<report::ConfigRecord> Take() {
    std::vector<report::ConfigRecord> out;
    for (auto& r : results_)
      if (r) out.push_back(std::move(*r));
    return out;
  }

 private:
  std::filesystem::path Json(std::size_t index) const {
    return config_.dir / (jobs_[index].entry.name + ".json");
  }
  std::filesystem::path Log(std::size_t index) const {
    return config_.dir / (jobs_[index].entry.name + ".log");
  }

  void Done(std::size_t index, report::ConfigRecord merged, double seconds) {
    reporter_.ConfigDone(++finished_, jobs_.size(), merged, seconds);
    results_[index] = std::move(merged);
  }

  const std::vector<MatrixJob>& jobs_;
  const RunOptions& options_;
  const MatrixWorkersConfig& config_;
  report::MatrixReporter& reporter_;
  std::vector<std::optional<report::ConfigRecord>> results_;
  std::size_t finished_ = 0;
};

}  // namespace

std::vector<report::ConfigRecord> RunMatrixWorkers(const std::vector<MatrixJob>& jobs,
                                                   const RunOptions& options,
                                                   const MatrixWorkersConfig& config,
                                                   WorkerLauncher& launcher,
                                                   report::MatrixReporter& reporter, Clock& clock,
                                                   const InterruptPoll& interrupt) {
  MatrixClient client(jobs, options, config, reporter);
  PoolConfig pool;
  pool.parallel = config.parallel;
  pool.poll_interval = config.poll_interval;
  pool.grace = config.grace;
  RunPool(jobs.size(), pool, client, launcher, clock, interrupt);
  return client.Take();
}

}  // namespace eofzero::suite
