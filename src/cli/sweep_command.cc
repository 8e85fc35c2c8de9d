// `eofzero sweep`: every selected case as one variant per durability
// primitive × crash mode × crash point × distance (suite/sweep_plan.h), run
// as `run` runs cases (one mkfs per configuration), reported in --format;
// the human report (on stdout, or in --output's file) ends with the sweep's
// table and a command per breaking tuple; the JSON has each case's tuple.
#include <unistd.h>

#include <iostream>
#include <map>

#include "cli/case_preflight.h"
#include "cli/command_setup.h"
#include "cli/commands.h"
#include "os/interrupt.h"
#include "report/report_output.h"
#include "report/sweep_table.h"
#include "suite/exit_status.h"
#include "suite/run_suite.h"

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

}  // namespace

int SweepCommand(const Invocation& inv) {
  auto catalog = LoadCatalog(inv.run);
  if (!catalog) return ExitWith(catalog.error());
  auto selected = PrepareSuite(inv.run, *catalog, inv.run.cases, "sweep");
  if (!selected) return ExitWith(selected.error());
  const suite::SweepPlan plan = suite::PlanSweep(*selected, inv.sweep);
  for (const auto& why : plan.left_out) std::cerr << "eofzero: sweep leaves out " << why << "\n";
  std::vector<const engine::CaseSpec*> variants;
  std::map<std::string, const suite::Variant*> by_name;
  for (const auto& v : plan.variants) {
    variants.push_back(&v.spec);
    by_name[v.spec.name] = &v;
  }
  if (variants.empty()) return ExitWith({suite::kExitUsage, "sweep: no tuple to run"});
  if (auto ok = PreflightCases(inv.run, variants); !ok)
    return ExitWith({suite::kExitUsage, ok.error()});
  auto output = report::ReportOutput::Open(inv.run.format, inv.run.output, std::cout,
                                           ::isatty(STDOUT_FILENO) == 1);
  if (!output) return ExitWith({suite::kExitUsage, output.error()});
  SweepCollector collector((*output)->reporter(), by_name, inv.sweep);
  auto outcomes = suite::RunSuite(inv.run, variants, collector);
  collector.Amend((*output)->record_to_amend());
  // The tables end the human report wherever it goes, whatever file format
  // --output gets besides.
  (*output)->AppendToHuman(report::RenderSweepTable(report::SweepCells((*output)->record()),
                                                    inv.sweep.primitives, inv.sweep.crashes));
  if (auto written = (*output)->Write(); !written)
    return ExitWith({suite::kExitToolError, written.error()});
  if (os::InterruptRequested())
    std::cerr << "eofzero: " << report::Interruption(os::InterruptSignal())
              << "; everything this run created was released\n";
  return suite::ExitStatusFor(outcomes, os::InterruptSignal());
}

}  // namespace eofzero::cli
