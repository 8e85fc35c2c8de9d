// Runs a matrix's workers: up to `parallel` at once, started in the jobs'
// order, each one's report folded into its configuration's record as it
// ends. A worker that ends without a usable report (it died, or exited with
// neither 0 nor 1) makes its cases not-run ERRORs and says why in the
// configuration's setup error, with the last lines of its log. On an
// interrupt it starts nothing more, asks the running workers to stop
// (SIGTERM), kills those still running after the grace period (SIGKILL),
// and the jobs never started become not-run ERRORs. Progress goes to the
// reporter; workers come from the launcher; time from the clock.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "report/matrix_reporter.h"
#include "report/record.h"
#include "suite/clock.h"
#include "suite/interrupts.h"
#include "suite/matrix_plan.h"
#include "suite/run_options.h"
#include "suite/worker_launcher.h"

namespace eofzero::suite {

struct SchedulerConfig {
  unsigned parallel = 1;          // workers at once
  std::filesystem::path program;  // each worker's argv[0]: this binary
  // The matrix's folder: worker NAME writes NAME.json and logs to NAME.log
  // there, and builds its filesystems inside it.
  std::filesystem::path dir;
  std::chrono::milliseconds poll_interval{50};
  // After an interrupt, how long a worker may take to stop before it is killed.
  std::chrono::seconds grace{60};
};

class Scheduler {
 public:
  // `options` give the workers' common arguments (WorkerArgs) and --keep.
  Scheduler(const std::vector<MatrixJob>& jobs, const RunOptions& options, SchedulerConfig config,
            WorkerLauncher& launcher, report::MatrixReporter& reporter, Clock& clock,
            InterruptPoll interrupt);

  // Until every worker has ended: start, watch, reap; on an interrupt, stop.
  // One record per job, in the jobs' order.
  std::vector<report::ConfigRecord> Run();

 private:
  struct Running {
    const MatrixJob* job;
    std::unique_ptr<Worker> worker;
    std::filesystem::path json, log;
    Clock::TimePoint started;
  };

  void Start(const MatrixJob& job);
  void ShowRunning();
  void StopAll();
  void Reap();
  void Ended(const Running& r, const os::ProcessResult& ended);
  void Done(const MatrixJob& job, report::ConfigRecord merged, double seconds);

  const std::vector<MatrixJob>& jobs_;
  const RunOptions& options_;
  const SchedulerConfig config_;
  WorkerLauncher& launcher_;
  report::MatrixReporter& reporter_;
  Clock& clock_;
  const InterruptPoll interrupt_;
  std::vector<std::optional<report::ConfigRecord>> results_;
  std::vector<Running> running_;
  std::size_t next_ = 0, finished_ = 0;
  bool changed_ = false;  // the set of running workers changed since it was shown
  std::optional<Clock::TimePoint> interrupted_at_;
};

}  // namespace eofzero::suite
