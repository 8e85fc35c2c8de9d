#include "suite/matrix_run.h"

#include <chrono>

#include "os/child.h"
#include "os/process.h"
#include "scratch/reclaim.h"
#include "scratch/run_dir.h"
#include "suite/clock.h"
#include "suite/interrupts.h"
#include "suite/matrix_workers.h"
#include "suite/worker_launcher.h"

namespace eofzero::suite {

std::expected<report::RunRecord, os::Error> RunMatrix(const std::vector<MatrixJob>& jobs,
                                                      const RunOptions& options, unsigned parallel,
                                                      report::MatrixReporter& reporter) {
  const auto start = std::chrono::steady_clock::now();
  auto self = os::SelfExecutable();
  if (!self) return std::unexpected(self.error());
  auto space = scratch::OpenRunSpace(options.workdir, true);
  if (!space) return std::unexpected(space.error());
  if (options.keep) space->dir->Keep();
  report::RunRecord record;
  record.tool = report::ThisTool();
  record.kernel = os::KernelRelease();
  record.started = report::UtcNow();
  reporter.Started(record.kernel, jobs.size(), parallel);

  auto launcher = MakeChildLauncher();
  MatrixWorkersConfig config;
  config.parallel = parallel;
  config.program = *self;
  config.dir = space->dir->path();
  record.configs = RunMatrixWorkers(jobs, options, config, *launcher, reporter, SteadyClock(),
                                    ProcessInterrupt);
  // A worker killed outright is released by its guardian; let that end
  // before the folder it worked in goes.
  scratch::SettleRunsInside(space->dir->path(), std::chrono::seconds(30));
  record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  record.interrupted_by = ProcessInterrupt();
  reporter.Finished(record, jobs.size(), parallel);
  return record;
}

}  // namespace eofzero::suite
