// `eofzero explore -j N`: the planned runs in N contiguous slices (after
// --shard), one worker process each — `eofzero explore` again on the same
// command line with the hidden --worker-slice K/N and --results of its own;
// it runs its slice and reduces nothing — and their results lines joined in
// worker order, for the parent to count, group, reduce, confirm and export
// as `--resume` does (suite/explore_run.h). A run a worker did not write
// (it died, or was stopped) is an ERROR there saying why.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "suite/clock.h"
#include "suite/explore_results.h"
#include "suite/interrupts.h"
#include "suite/worker_launcher.h"

namespace eofzero::suite {

// Worker K's command line: the parent's `args` (its whole command line but
// the program) less --results FILE and --resume, then --worker-slice=K/N
// and --results=`results`.
std::vector<std::string> ExploreWorkerArgs(const std::vector<std::string>& args, std::size_t k,
                                           std::size_t n, const std::filesystem::path& results);

// What a worker left: the runs of its results file, and why the runs of its
// slice it did not write were not run (empty when it ended on its own).
struct WorkerResults {
  std::vector<LoggedRun> runs;
  std::string why;
};

// The workers' lines, worker 1's first, as one results file's text.
std::string JoinResults(const std::vector<WorkerResults>& workers);

// Runs the N workers through the worker pool (suite/worker_pool.h), N at
// once: worker K's results file DIR/worker-K.jsonl, its log DIR/worker-K.log.
// On an interrupt the workers are asked to stop (SIGTERM; the lines they
// wrote stay) and killed after `grace`.
std::vector<WorkerResults> RunExploreWorkers(const std::filesystem::path& program,
                                             const std::vector<std::string>& args, std::size_t n,
                                             const std::filesystem::path& dir,
                                             WorkerLauncher& launcher, Clock& clock,
                                             const InterruptPoll& interrupt,
                                             std::chrono::seconds grace = std::chrono::seconds(60));

}  // namespace eofzero::suite
