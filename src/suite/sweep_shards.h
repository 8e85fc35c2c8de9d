// `eofzero sweep -j N`: the sweep's tuples in N contiguous slices, one
// worker process each (`eofzero sweep` again, on its slice, writing its JSON
// report), and the workers' reports joined back in the tuple order, so the
// table, the JSON and the exit status are those of one process. A slice
// whose worker left no report has its tuples as not-run ERRORs saying why.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "report/record.h"
#include "suite/clock.h"
#include "suite/interrupts.h"
#include "suite/worker_launcher.h"
#include "suite/run_options.h"
#include "suite/sweep_plan.h"

namespace eofzero::suite {

// Variants [first, second) of `total` for slice K of N: contiguous, sizes
// differing by at most one, the earlier slices the larger.
std::pair<std::size_t, std::size_t> SliceRange(std::size_t total, const SweepSlice& slice);

// A worker's report, or why it has none ("the worker was killed by signal 9
// (SIGKILL) and it wrote no report").
struct SliceReport {
  std::optional<report::RunRecord> record;
  std::string why_none;
};

// The slices' configurations joined (by their label, in the order `options`
// runs them: filesystem, then block size), each one's cases in slice order.
// `variants` are the whole plan's, `slices` one report per slice in order.
std::vector<report::ConfigRecord> JoinSlices(const std::vector<SliceReport>& slices,
                                             const std::vector<Variant>& variants,
                                             const RunOptions& options);

// Runs the N slices' workers through the worker pool (suite/worker_pool.h),
// N at once: worker K is `program args... --worker-slice=K/N
// --worker-output=DIR/slice-K.json`, its log DIR/slice-K.log (`args` are the
// sweep's own command line: each worker plans the same tuples). Returns one
// report per slice, in order. On an interrupt the workers are asked to stop
// (their reports have the rest as not run) and killed after `grace`.
std::vector<SliceReport> RunSweepSlices(const std::filesystem::path& program,
                                        const std::vector<std::string>& args, std::size_t slices,
                                        const std::filesystem::path& dir, WorkerLauncher& launcher,
                                        Clock& clock, const InterruptPoll& interrupt,
                                        std::chrono::seconds grace = std::chrono::seconds(60));

// Every case's outcome, as RunSuite returns them (for ExitStatusFor).
std::vector<oracles::Outcome> Outcomes(const std::vector<report::ConfigRecord>& configs);

}  // namespace eofzero::suite
