// `eofzero explore`: the space's size (--count, no root), or an exploration
// (suite/explore_run.h) with its findings table and totals on stdout.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <iostream>

#include "cli/command_setup.h"
#include "cli/commands.h"
#include "os/child.h"
#include "os/interrupt.h"
#include "os/user_files.h"
#include "report/report_output.h"
#include "suite/explore_report.h"
#include "scratch/run_dir.h"
#include "suite/explore_run.h"
#include "suite/exit_status.h"
#include "suite/explore_workers.h"
#include "scratch/reclaim.h"
#include "scratch/run_dir.h"
#include "suite/clock.h"
#include "suite/worker_launcher.h"

namespace eofzero::cli {
namespace {

// Workloads and runs per depth, on each configuration.
std::string CountText(const suite::RunOptions& run, const suite::ExploreOptions& options) {
  std::string out;
  const std::size_t modes = options.crashes.size();
  for (fsdriver::FsType fs : run.filesystems) {
    const auto g = suite::GeometryFor(fs, run.block_size, run.scenario.gap_bytes);
    explore::Space space(suite::BoundsFor(options.bounds, g), g);
    out += fmt::format("{} bs={} (old EOF {}, {} crash mode{}):\n", fsdriver::FsTypeName(fs),
                       g.block_size, g.old_eof, modes, modes == 1 ? "" : "s");
    out += "  depth  workloads  runs\n";
    for (int depth = 1; depth <= options.depth; ++depth) {
      const std::uint64_t n = space.Count(depth);
      out += fmt::format("  {:<5}  {:<9}  {}\n", depth, n, n * modes);
    }
    if (options.sample)
      out += fmt::format("  --sample {}: {} workloads of depth {}, each at its {} crash points: "
                         "at most {} runs\n",
                         *options.sample, *options.sample, options.depth, options.depth,
                         *options.sample * options.depth * modes);
  }
  return out;
}

// Every planned run's case file, NAME.toml, in `dir` (made if missing);
// one line per configuration says how many.
int EmitCases(const suite::RunOptions& run, const suite::ExploreOptions& options) {
  if (auto made = os::MakeDirectory(options.emit_dir); !made)
    return ExitWith({suite::kExitUsage, "--emit-cases: " + made.error().Message()});
  for (fsdriver::FsType fs : run.filesystems) {
    const auto g = suite::GeometryFor(fs, run.block_size, run.scenario.gap_bytes);
    explore::Space space(suite::BoundsFor(options.bounds, g), g);
    std::size_t written = 0, runs = 0;
    for (const auto& r : suite::PlanRuns(options, space)) {
      ++runs;
      auto planned = suite::CaseOf(r, g);
      if (!planned) return ExitWith({suite::kExitToolError, planned.error()});
      const auto file = options.emit_dir / (planned->spec.name + ".toml");
      std::error_code ec;
      if (std::filesystem::exists(file, ec)) continue;  // the same run for another filesystem
      if (auto st = os::WriteOutputFile(file, planned->text); !st)
        return ExitWith({suite::kExitToolError, st.error().Message()});
      ++written;
    }
    std::cout << fmt::format("{} bs={}: {} runs; {} new case files in {}\n",
                             fsdriver::FsTypeName(fs), g.block_size, runs, written,
                             options.emit_dir.string());
  }
  return suite::kExitPass;
}

// explore --kernel: every planned run's case file emitted into a folder of
// its own (under --workdir, removed at the end unless --keep), then `eofzero
// kernels --cases-dir` of them, those cases by name: per kernel, each run's
// verdict in its guests.
int ExploreOnKernels(const Invocation& inv) {
  auto dir = scratch::RunDir::Create(inv.run.workdir);
  if (!dir) return ExitWith({suite::kExitToolError, "explore: " + dir.error().Message()});
  if (inv.run.keep) dir->Keep();
  Invocation kernels = inv;
  kernels.explore.emit_dir = dir->path() / "cases";
  if (int status = EmitCases(inv.run, kernels.explore); status != suite::kExitPass) return status;
  kernels.command = Command::kKernels;
  kernels.run.cases_dirs.push_back(kernels.explore.emit_dir);
  kernels.run.cases.clear();
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(kernels.explore.emit_dir, ec))
    kernels.run.cases.push_back(e.path().stem().string());  // NAME.toml
  std::ranges::sort(kernels.run.cases);
  if (kernels.run.cases.empty()) return ExitWith({suite::kExitUsage, "explore: no runs planned"});
  return KernelsCommand(kernels);
}

// `explore -j N`: the runs in N workers (this binary again, each on its
// slice, on filesystems of its own), then their lines counted and grouped as
// --resume counts them, reduced, confirmed and exported here. With the
// user's --results FILE, the joined lines are written into it.
suite::ExploreResult ExploreInWorkers(const Invocation& inv,
                                      const std::vector<const engine::CaseSpec*>& catalog,
                                      std::ostream& progress) {
  auto failed = [](std::string why) {
    suite::ExploreResult r;
    r.problems.push_back(std::move(why));
    return r;
  };
  auto self = os::SelfExecutable();
  if (!self) return failed(self.error().Message());
  auto space = scratch::OpenRunSpace(inv.run.workdir, true);
  if (!space) return failed(space.error().Message());
  if (inv.run.keep) space->dir->Keep();
  const std::filesystem::path dir = space->dir->path();
  const auto start = std::chrono::steady_clock::now();
  auto launcher = suite::MakeChildLauncher();
  const auto workers = suite::RunExploreWorkers(*self, inv.args, inv.explore.jobs, dir, *launcher,
                                                suite::SteadyClock(), suite::ProcessInterrupt);
  // A worker killed outright is released by its guardian; let that end
  // before the folder it worked in goes.
  scratch::SettleRunsInside(dir, std::chrono::seconds(30));
  const double run_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  suite::ExploreOptions options = inv.explore;
  if (options.results_file.empty()) options.results_file = dir / "results.jsonl";
  if (auto st = os::WriteOutputFile(options.results_file, suite::JoinResults(workers)); !st)
    return failed("--results: " + st.error().Message());
  options.resume = true;
  for (const auto& w : workers) options.workers_why.push_back(w.why);
  suite::ExploreResult result = suite::RunExploration(inv.run, options, catalog, progress);
  result.totals.run_seconds = run_seconds;  // the workers' time
  return result;
}

}  // namespace

int ExploreCommand(const Invocation& inv) {
  if (inv.explore.count_only) {
    std::cout << CountText(inv.run, inv.explore);
    return suite::kExitPass;
  }
  if (!inv.explore.emit_dir.empty()) return EmitCases(inv.run, inv.explore);
  if (!inv.kernels.kernels.empty()) return ExploreOnKernels(inv);
  auto catalog = LoadCatalog(inv.run);
  if (!catalog) return ExitWith(catalog.error());
  std::vector<const engine::CaseSpec*> cases;
  for (const auto& c : catalog->cases) cases.push_back(&c);
  if (auto ok = StartPrivileged(inv.run.verbosity, "explore: needs root (loop devices, mkfs, mount)");
      !ok)
    return ExitWith(ok.error());
  if (!inv.explore.export_dir.empty())
    if (auto made = os::MakeDirectory(inv.explore.export_dir); !made)
      return ExitWith({suite::kExitUsage, "--export: " + made.error().Message()});
  // Progress goes where the human report goes: stdout, unless stdout gets
  // the file format.
  const bool human_on_stdout =
      inv.run.format == report::ReportFormat::kHuman || !inv.run.output.empty();
  std::ostream& progress = human_on_stdout ? std::cout : std::cerr;
  const auto& explore = inv.explore;
  if (explore.worker)
    if (auto ok = os::BecomeWorker(); !ok)
      return ExitWith({suite::kExitToolError, "worker: " + ok.error().Message()});
  const suite::ExploreResult result =
      !explore.worker && explore.jobs > 1 ? ExploreInWorkers(inv, cases, progress)
                                          : suite::RunExploration(inv.run, explore, cases, progress);
  const suite::ExploreReport report =
      suite::ReportOf(inv.run, inv.explore, result, os::InterruptSignal());
  const std::string summary = suite::RenderExploreSummary(report);
  progress << "\n" << summary;
  progress.flush();
  if (explore.worker) return suite::ExploreReportExitStatus(report);  // its parent reports
  if (inv.run.format != report::ReportFormat::kHuman || !inv.run.output.empty())
    if (auto written = report::WriteReport(suite::RenderExploreReport(report, inv.run.format),
                                           inv.run.output, std::cout);
        !written)
      return ExitWith({suite::kExitToolError, written.error()});
  if (os::InterruptRequested())
    std::cerr << "eofzero: " << "interrupted; everything this run created was released\n";
  return suite::ExploreReportExitStatus(report);
}

}  // namespace eofzero::cli
