#include "cli/run_command.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "engine/case_spec.h"
#include "engine/scenario.h"
#include "os/interrupt.h"
#include "os/process.h"
#include "scratch/run_dir.h"
#include "scratch/scratch_fs.h"

namespace eofzero::cli {
namespace {

std::vector<const engine::CaseSpec*> SelectCases(const RunOptions& options) {
  std::vector<const engine::CaseSpec*> out;
  if (options.cases.empty()) {
    for (const auto& c : engine::BuiltinCases()) out.push_back(&c);
  } else {
    for (const auto& name : options.cases) out.push_back(engine::FindCase(name));
  }
  return out;
}

scratch::ScratchSpec SpecFor(const RunOptions& options, scratch::FsType fs) {
  scratch::ScratchSpec spec;
  spec.fs = fs;
  spec.block_size = options.block_size;
  spec.mkfs_options = options.mkfs_options;
  spec.mount_options = options.mount_options;
  spec.image_bytes = options.image_bytes;
  return spec;
}

engine::CaseRun ErrorRun(const engine::CaseSpec& spec, const std::string& why) {
  engine::CaseRun run;
  run.case_name = spec.name;
  run.status = engine::RunStatus::kError;
  run.reason = why;
  return run;
}

}  // namespace

std::vector<oracles::Outcome> RunSuite(const RunOptions& options, report::Reporter& reporter) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<oracles::Outcome> outcomes;
  const auto cases = SelectCases(options);
  auto report_case = [&](const report::ConfigInfo& config, const engine::CaseRun& run) {
    oracles::Verdict verdict = oracles::Judge(run);
    outcomes.push_back(verdict.outcome);
    reporter.CaseDone(config, run, verdict);
    return verdict.outcome;
  };

  reporter.RunStarted(os::KernelRelease());
  auto dir = scratch::RunDir::Create(options.workdir);
  if (!dir) {
    report::ConfigInfo none{"-", options.block_size, "", options.mount_options, "-"};
    reporter.ConfigFailed(none, dir.error().Message());
    for (const auto* c : cases) report_case(none, ErrorRun(*c, dir.error().Message()));
  }
  for (std::size_t i = 0; dir && i < options.filesystems.size(); ++i) {
    if (os::InterruptRequested()) break;
    const auto spec = SpecFor(options, options.filesystems[i]);
    report::ConfigInfo config{std::string(scratch::FsTypeName(spec.fs)), spec.block_size, "",
                              spec.mount_options, ""};
    auto fs = scratch::ScratchFs::Create(spec, dir->path(),
                                         config.fs + "-" + std::to_string(spec.block_size));
    if (!fs) {
      const std::string why = "scratch " + config.Label() + ": " + fs.error().Message();
      reporter.ConfigFailed(config, why);
      for (const auto* c : cases) report_case(config, ErrorRun(*c, why));
      continue;
    }
    config.mkfs_command = (*fs)->mkfs_result().CommandLine();
    config.device = (*fs)->device();
    config.block_size = (*fs)->block_size();
    reporter.ConfigReady(config);
    for (std::size_t k = 0; k < cases.size(); ++k) {
      const auto* c = cases[k];
      if (os::InterruptRequested()) break;
      spdlog::info("{}: {} ({} of {})", config.Label(), c->name, k + 1, cases.size());
      auto outcome = report_case(config, engine::RunCase(**fs, *c, options.scenario));
      if (options.keep &&
          (outcome == oracles::Outcome::kFail || outcome == oracles::Outcome::kError))
        (*fs)->KeepImage();
    }
  }
  reporter.Finish(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return outcomes;
}

}  // namespace eofzero::cli
