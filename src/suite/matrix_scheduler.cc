#include "suite/matrix_scheduler.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <csignal>

#include "suite/exit_status.h"
#include "suite/matrix_merge.h"

namespace eofzero::suite {

Scheduler::Scheduler(const std::vector<MatrixJob>& jobs, const RunOptions& options,
                     SchedulerConfig config, WorkerLauncher& launcher,
                     report::MatrixReporter& reporter, Clock& clock, InterruptPoll interrupt)
    : jobs_(jobs),
      options_(options),
      config_(std::move(config)),
      launcher_(launcher),
      reporter_(reporter),
      clock_(clock),
      interrupt_(std::move(interrupt)),
      results_(jobs.size()) {}

std::vector<report::ConfigRecord> Scheduler::Run() {
  while (next_ < jobs_.size() || !running_.empty()) {
    while (!interrupt_() && next_ < jobs_.size() && running_.size() < config_.parallel)
      Start(jobs_[next_++]);
    ShowRunning();
    if (interrupt_()) StopAll();
    Reap();
    if (!running_.empty()) clock_.SleepFor(config_.poll_interval);
  }
  std::vector<report::ConfigRecord> out;
  for (auto& r : results_)
    if (r) out.push_back(std::move(*r));
  return out;
}

void Scheduler::Start(const MatrixJob& job) {
  const auto json = config_.dir / (job.entry.name + ".json");
  const auto log = config_.dir / (job.entry.name + ".log");
  std::vector<std::string> argv = {config_.program.string()};
  for (auto& a : WorkerArgs(job, options_, config_.dir, json)) argv.push_back(std::move(a));
  spdlog::info("matrix: starting {}: {}", job.entry.name, fmt::join(argv, " "));
  auto worker = launcher_.Start(argv, log);
  if (!worker) {
    Done(job, MergeWorker(job, nullptr, worker.error().Message()), 0);
    return;
  }
  spdlog::info("matrix: {} runs as pid {}", job.entry.name, (*worker)->Pid());
  running_.push_back({&job, std::move(*worker), json, log, clock_.Now()});
  changed_ = true;
}

// Which configurations are running, when that changed (a terminal shows it).
void Scheduler::ShowRunning() {
  if (!changed_) return;
  std::vector<std::string> names;
  for (const auto& r : running_) names.push_back(r.job->entry.name);
  reporter_.Running(names);
  changed_ = false;
}

// Asked once; a worker that has not stopped after the grace period is killed
// (what it made, its guardian releases). Unstarted jobs end here.
void Scheduler::StopAll() {
  if (!interrupted_at_) {
    interrupted_at_ = clock_.Now();
    for (auto& r : running_) r.worker->Terminate();
  } else if (clock_.Now() - *interrupted_at_ > config_.grace) {
    for (auto& r : running_) r.worker->Kill();
  }
  for (; next_ < jobs_.size(); ++next_)
    results_[next_] = MergeWorker(jobs_[next_], nullptr, report::Interruption(interrupt_()));
}

void Scheduler::Reap() {
  for (auto it = running_.begin(); it != running_.end();) {
    auto ended = it->worker->Poll();
    if (!ended) {
      ++it;
      continue;
    }
    Ended(*it, *ended);
    it = running_.erase(it);
  }
}

// A worker's report, or why there is none, folded into its configuration.
void Scheduler::Ended(const Running& r, const os::ProcessResult& ended) {
  auto worker = ReadWorkerReport(r.json);
  std::string why = worker ? "" : worker.error();
  const bool finished = ended.exit_code == kExitPass || ended.exit_code == kExitFail;
  // A worker the matrix stopped when it was interrupted: its report says
  // so (with the cases it did not run as not-run ERRORs), or the SIGTERM
  // ended it before it could write one. Not the worker's failure.
  const bool stopped =
      interrupted_at_ && (worker ? worker->interrupted_by != 0 : ended.term_signal == SIGTERM);
  const bool ok = (worker && finished) || stopped;
  if (stopped)
    why = report::Interruption(interrupt_());
  else if (!ok)
    why = "the worker " + ended.Ending() + (why.empty() ? "" : " and " + why) +
          (options_.keep ? " (log: " + r.log.string() + ")" : "");
  auto merged = MergeWorker(*r.job, worker ? &*worker : nullptr, why);
  if (!ok) {
    merged.setup_error +=
        (merged.setup_error.empty() ? "" : "; ") + why + ", its last lines: " + LogTail(r.log, 3);
  }
  Done(*r.job, std::move(merged), SecondsBetween(r.started, clock_.Now()));
}

void Scheduler::Done(const MatrixJob& job, report::ConfigRecord merged, double seconds) {
  ++finished_;
  reporter_.ConfigDone(finished_, jobs_.size(), merged, seconds);
  changed_ = true;
  results_[&job - jobs_.data()] = std::move(merged);
}

}  // namespace eofzero::suite
