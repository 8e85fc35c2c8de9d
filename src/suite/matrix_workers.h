// A matrix's workers through the worker pool (suite/worker_pool.h): one
// `eofzero run` per configuration, up to `parallel` at once, started in the
// jobs' order, each one's report folded into its configuration's record as
// it ends. A worker that ends without a usable report (it died, or exited
// with neither 0 nor 1) makes its cases not-run ERRORs and says why in the
// configuration's setup error, with the last lines of its log. On an
// interrupt the pool starts nothing more and stops the running workers
// (SIGTERM, SIGKILL after the grace period); the jobs never started become
// not-run ERRORs. Progress goes to the reporter; workers come from the
// launcher; time from the clock.
#pragma once

#include <chrono>
#include <filesystem>
#include <vector>

#include "report/matrix_reporter.h"
#include "report/record.h"
#include "suite/clock.h"
#include "suite/interrupts.h"
#include "suite/matrix_plan.h"
#include "suite/run_options.h"
#include "suite/worker_launcher.h"

namespace eofzero::suite {

struct MatrixWorkersConfig {
  unsigned parallel = 1;          // workers at once
  std::filesystem::path program;  // each worker's argv[0]: this binary
  // The matrix's folder: worker NAME writes NAME.json and logs to NAME.log
  // there, and builds its filesystems inside it.
  std::filesystem::path dir;
  std::chrono::milliseconds poll_interval{50};
  // After an interrupt, how long a worker may take to stop before it is killed.
  std::chrono::seconds grace{60};
};

// `options` give the workers' common arguments (WorkerArgs) and --keep.
// One record per job, in the jobs' order.
std::vector<report::ConfigRecord> RunMatrixWorkers(const std::vector<MatrixJob>& jobs,
                                                   const RunOptions& options,
                                                   const MatrixWorkersConfig& config,
                                                   WorkerLauncher& launcher,
                                                   report::MatrixReporter& reporter, Clock& clock,
                                                   const InterruptPoll& interrupt);

}  // namespace eofzero::suite
