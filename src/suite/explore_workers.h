// `eofzero explore -j N`: the planned runs in N contiguous slices (after
// --shard, and with --resume of the runs its results file lacks), one
// worker process each — `eofzero explore` again on the same command line
// with the hidden --worker-slice K/N, --results and --worker-output of its
// own (and --worker-done FILE, the runs already done); it runs its slice and
// reduces nothing — and what they left, for the parent to count, group,
// append to its results file, reduce, confirm and export
// (suite/explore_run.h). A run a worker did not write (it died, or was
// stopped) is an ERROR there saying why.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "suite/clock.h"
#include "suite/explore_report.h"
#include "suite/explore_results.h"
#include "suite/interrupts.h"
#include "suite/slice_workers.h"
#include "suite/worker_launcher.h"

namespace eofzero::suite {

// What a worker left: the runs of its results file, its report's rows per
// configuration (the mkfs command, the seconds its runs took; none when it
// wrote no report), and why the runs of its slice it did not write were not
// run (empty when it ended on its own).
struct WorkerResults {
  std::vector<LoggedRun> runs;
  std::vector<ExploreConfigRow> configs;
  std::string why;
};

// How explore splits its command line: worker K drops --results and
// --resume, and gets --results=DIR/worker-K.jsonl,
// --worker-output=DIR/worker-K.json and, when `done` is given (the
// parent's --results FILE under --resume), --worker-done=FILE; its log is
// DIR/worker-K.log.
SliceSplit ExploreSplit(const std::filesystem::path& dir, const std::filesystem::path& done);

// Runs the N workers through the worker pool (suite/worker_pool.h), N at
// once, as ExploreSplit says. On an interrupt the workers are asked to stop
// (SIGTERM; the lines they wrote stay) and killed after `grace`.
std::vector<WorkerResults> RunExploreWorkers(const std::filesystem::path& program,
                                             const std::vector<std::string>& args, std::size_t n,
                                             const std::filesystem::path& dir,
                                             const std::filesystem::path& done,
                                             WorkerLauncher& launcher, Clock& clock,
                                             const InterruptPoll& interrupt,
                                             std::chrono::seconds grace = std::chrono::seconds(60));

}  // namespace eofzero::suite
