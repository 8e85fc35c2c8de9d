// `eofzero sweep`: every selected case as one variant per durability
// primitive × crash mode × crash point × distance (suite/sweep_plan.h), run
// as `run` runs cases (one mkfs per configuration), reported in --format;
// the human report (on stdout, or in --output's file) ends with the sweep's
// table and a command per breaking tuple; the JSON has each case's tuple.
// With -j N the tuples run in N worker processes (suite/sweep_shards.h).
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <map>

#include "cli/case_preflight.h"
#include "cli/command_setup.h"
#include "cli/commands.h"
#include "os/child.h"
#include "os/interrupt.h"
#include "os/process.h"
#include "report/human_reporter.h"
#include "report/json_report.h"
#include "scratch/reclaim.h"
#include "scratch/run_dir.h"
#include "suite/clock.h"
#include "report/report_output.h"
#include "report/tool_version.h"
#include "report/sweep_table.h"
#include "suite/exit_status.h"
#include "suite/run_suite.h"
#include "suite/sweep_shards.h"
#include "suite/worker_launcher.h"

namespace eofzero::cli {
namespace {

// Passes everything on, and keeps each variant's tuple, its cell's letter
// and its rerun command, for the record (RunRecord's sweep fields).
class SweepCollector : public report::Reporter {
 public:
  SweepCollector(report::Reporter& next, const std::map<std::string, const suite::Variant*>& by_name,
                 const suite::SweepOptions& options)
      : next_(next), by_name_(by_name), options_(options) {}

  void Planned(std::size_t cases) override { next_.Planned(cases); }
  void RunStarted(const std::string& kernel) override { next_.RunStarted(kernel); }
  void ConfigReady(const report::ConfigInfo& c) override { next_.ConfigReady(c); }
  void ConfigFailed(const report::ConfigInfo& c, const std::string& e) override {
    next_.ConfigFailed(c, e);
  }
  void CaseStarted(const report::ConfigInfo& c, const std::string& name) override {
    next_.CaseStarted(c, name);
  }
  void CrashStatesDone(const report::ConfigInfo& c, const oracles::CrashStates& s) override {
    next_.CrashStatesDone(c, s);
  }
  void CaseDone(const report::ConfigInfo& config, const report::CaseResult& result) override {
    const engine::CaseRun& run = result.run();
    auto it = by_name_.find(run.case_name);
    if (it != by_name_.end()) {
      const suite::Variant& v = *it->second;
      report::CaseRecord::SweepTuple t;
      t.base = v.base;
      t.primitive = v.primitive;
      t.crash = v.crash;
      t.point = v.point;
      t.distance = v.distance;
      t.iteration = v.iteration;
      t.code = report::SweepCode(result.verdict());
      t.rerun = "eofzero sweep --fs " + config.fs + " --block-size " +
                std::to_string(config.block_size) + " --case " + v.base + " --sync " +
                v.primitive + " --crash " + v.crash + " --points " + std::to_string(v.point) +
                (v.distance.empty() ? "" : " --distance " + v.distance) +
                (options_.iterations > 1 ? " --iterations " + std::to_string(options_.iterations)
                                         : "");
      tuples_[{config.Label(), run.case_name}] = std::move(t);
    }
    next_.CaseDone(config, result);
  }
  void Interrupted(int signo) override { next_.Interrupted(signo); }
  void Finish(double seconds) override { next_.Finish(seconds); }

  // The record's cases with their tuples, and the sweep's axes.
  void Amend(report::RunRecord& record) const {
    record.command = "sweep";
    record.sweep = report::RunRecord::SweepAxes{options_.primitives, options_.crashes};
    for (auto& c : record.configs)
      for (auto& r : c.cases)
        if (auto it = tuples_.find({c.config.Label(), r.case_name}); it != tuples_.end())
          r.sweep = it->second;
  }

 private:
  report::Reporter& next_;
  const std::map<std::string, const suite::Variant*>& by_name_;
  const suite::SweepOptions& options_;
  std::map<std::pair<std::string, std::string>, report::CaseRecord::SweepTuple> tuples_;
};

// `sweep -j N`: the tuples in N slices, each one's worker this binary again
// (on filesystems of its own), their reports joined in the tuple order and
// written as one process would have: the human report (rendered from the
// record, as `eofzero report` does, with the sweep's table), and the file
// format asked for.
int SweepInWorkers(const Invocation& inv, const suite::SweepPlan& plan) {
  const auto start = std::chrono::steady_clock::now();
  auto self = os::SelfExecutable();
  if (!self) return ExitWith({suite::kExitToolError, self.error().Message()});
  auto space = scratch::OpenRunSpace(inv.run.workdir, true);
  if (!space) return ExitWith({suite::kExitToolError, space.error().Message()});
  if (inv.run.keep) space->dir->Keep();
  report::RunRecord record;
  record.tool = report::ThisTool();
  record.kernel = os::KernelRelease();
  record.started = report::UtcNow();
  const std::size_t slices = std::min<std::size_t>(inv.sweep.jobs, plan.variants.size());
  auto launcher = suite::MakeChildLauncher();
  const auto reports = suite::RunSweepSlices(*self, inv.args, slices, space->dir->path(),
                                             *launcher, suite::SteadyClock(),
                                             suite::ProcessInterrupt);
  // A worker killed outright is released by its guardian; let that end
  // before the folder it worked in goes.
  scratch::SettleRunsInside(space->dir->path(), std::chrono::seconds(30));
  record.configs = suite::JoinSlices(reports, plan.variants, inv.run);
  record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  record.interrupted_by = os::InterruptSignal();
  record.command = "sweep";
  record.sweep = report::RunRecord::SweepAxes{inv.sweep.primitives, inv.sweep.crashes};
  const bool human = inv.run.format == report::ReportFormat::kHuman;
  if (human || !inv.run.output.empty()) {  // the human report, where -j 1 streams it
    const auto text = report::RenderHumanReport(record);  // the sweep's table included
    if (auto written = report::WriteReport(text, human ? inv.run.output : "", std::cout); !written)
      return ExitWith({suite::kExitToolError, written.error()});
  }
  if (!human) {
    auto written =
        report::WriteReport(report::RenderRecord(record, inv.run.format), inv.run.output, std::cout);
    if (!written) return ExitWith({suite::kExitToolError, written.error()});
  }
  if (os::InterruptRequested())
    std::cerr << "eofzero: " << report::Interruption(os::InterruptSignal())
              << "; everything this run created was released\n";
  return suite::ExitStatusFor(suite::Outcomes(record.configs), os::InterruptSignal());
}

}  // namespace

int SweepCommand(const Invocation& inv) {
  auto catalog = LoadCatalog(inv.run);
  if (!catalog) return ExitWith(catalog.error());
  auto selected = PrepareSuite(inv.run, *catalog, inv.run.cases, "sweep");
  if (!selected) return ExitWith(selected.error());
  suite::SweepPlan plan = suite::PlanSweep(*selected, inv.sweep);
  const auto& worker = inv.sweep.worker;
  if (!worker)
    for (const auto& why : plan.left_out) std::cerr << "eofzero: sweep leaves out " << why << "\n";
  if (plan.variants.empty()) return ExitWith({suite::kExitUsage, "sweep: no tuple to run"});
  if (worker) {  // a `sweep -j` worker: its slice only
    if (auto ok = os::BecomeWorker(); !ok)
      return ExitWith({suite::kExitToolError, "worker: " + ok.error().Message()});
    const auto [first, last] = suite::SliceRange(plan.variants.size(), *worker);
    plan.variants.erase(plan.variants.begin() + static_cast<std::ptrdiff_t>(last),
                        plan.variants.end());
    plan.variants.erase(plan.variants.begin(),
                        plan.variants.begin() + static_cast<std::ptrdiff_t>(first));
    if (plan.variants.empty()) return ExitWith({suite::kExitUsage, "sweep: no tuple to run"});
  }
  std::vector<const engine::CaseSpec*> variants;
  std::map<std::string, const suite::Variant*> by_name;
  for (const auto& v : plan.variants) {
    variants.push_back(&v.spec);
    by_name[v.spec.name] = &v;
  }
  if (auto ok = PreflightCases(inv.run, variants); !ok)
    return ExitWith({suite::kExitUsage, ok.error()});
  if (!worker && inv.sweep.jobs > 1) return SweepInWorkers(inv, plan);
  const auto format = worker ? report::ReportFormat::kJson : inv.run.format;
  const std::filesystem::path output =
      worker ? std::filesystem::path(inv.sweep.worker_output) : inv.run.output;
  auto opened =
      report::ReportOutput::Open(format, output, std::cout, !worker && ::isatty(STDOUT_FILENO) == 1);
  if (!opened) return ExitWith({suite::kExitUsage, opened.error()});
  auto& out = *opened;
  SweepCollector collector(out->reporter(), by_name, inv.sweep);
  auto outcomes = suite::RunSuite(inv.run, variants, collector);
  collector.Amend(out->record_to_amend());
  // The tables end the human report wherever it goes, whatever file format
  // --output gets besides.
  out->AppendToHuman(report::RenderSweepTable(report::SweepCells(out->record()),
                                              inv.sweep.primitives, inv.sweep.crashes));
  if (auto written = out->Write(); !written)
    return ExitWith({suite::kExitToolError, written.error()});
  if (os::InterruptRequested())
    std::cerr << "eofzero: " << report::Interruption(os::InterruptSignal())
              << "; everything this run created was released\n";
  return suite::ExitStatusFor(outcomes, os::InterruptSignal());
}

}  // namespace eofzero::cli
