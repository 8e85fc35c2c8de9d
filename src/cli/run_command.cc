#include "cli/run_command.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>

#include "engine/scenario.h"
#include "os/interrupt.h"
#include "os/process.h"
#include "report/record.h"
#include "scratch/run_dir.h"
#include "scratch/scratch_fs.h"

namespace eofzero::cli {
namespace {

using engine::CaseSpec;

scratch::ScratchSpec SpecFor(const suite::RunOptions& options, scratch::FsType fs, std::uint32_t bs) {
  scratch::ScratchSpec spec;
  spec.fs = fs;
  spec.block_size = bs;
  spec.mkfs_options = options.mkfs_options;
  spec.mount_options = options.mount_options;
  spec.image_bytes = options.image_bytes;
  return spec;
}

// What each case of a configuration that could not be set up says: the
// reason itself is the configuration's, reported once (Reporter::ConfigFailed).
std::string SetupFailed(const report::ConfigInfo& config) {
  return "not run: " + (config.fs == "-" ? std::string("the run") : config.Label()) +
         " could not be set up (see its setup error)";
}

engine::CaseRun NotRun(const CaseSpec& spec, engine::RunStatus status, const std::string& why) {
  engine::CaseRun run;
  run.case_name = spec.name;
  run.case_file = spec.source;
  run.status = status;
  run.reason = why;
  return run;
}

// A case the signal kept from starting: ERROR "not run: interrupted by signal 2 (SIGINT)".
engine::CaseRun Interrupted(const CaseSpec& spec) {
  auto run = NotRun(spec, engine::RunStatus::kError,
                    "not run: " + report::Interruption(os::InterruptSignal()));
  run.interrupted = true;
  return run;
}

std::uint32_t BlockSizeFor(const CaseSpec& c, const suite::RunOptions& options) {
  return c.block_size.value_or(options.block_size);
}

bool Applies(const CaseSpec& c, scratch::FsType fs) {
  return c.filesystems.empty() ||
         std::find(c.filesystems.begin(), c.filesystems.end(), fs) != c.filesystems.end();
}

std::string FsList(const CaseSpec& c) {
  std::string s;
  for (auto fs : c.filesystems) s += (s.empty() ? "" : ", ") + std::string(scratch::FsTypeName(fs));
  return s;
}

}  // namespace

std::vector<oracles::Outcome> RunSuite(const suite::RunOptions& options,
                                       const std::vector<const CaseSpec*>& cases,
                                       report::Reporter& reporter) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<oracles::Outcome> outcomes;
  auto report_case = [&](const report::ConfigInfo& config, engine::CaseRun run) {
    // A case that ended in an error after the signal arrived was stopped by
    // it (its steps, or its mkfs or fsck, which got the terminal's SIGINT too).
    if (run.status == engine::RunStatus::kError && os::InterruptRequested()) run.interrupted = true;
    oracles::Verdict verdict = oracles::Judge(run);
    outcomes.push_back(verdict.outcome);
    reporter.CaseDone(config, run, verdict);
    return verdict.outcome;
  };

  reporter.Planned(cases.size() * options.filesystems.size());
  reporter.RunStarted(os::KernelRelease());
  auto space = scratch::OpenRunSpace(options.workdir, !options.scratch_target);
  if (!space) {
    report::ConfigInfo none{"-", options.block_size, "", options.mount_options, "-",
                            options.config_name};
    reporter.ConfigFailed(none, space.error().Message());
    for (const auto* c : cases)
      report_case(none, NotRun(*c, engine::RunStatus::kError, SetupFailed(none)));
  }
  const bool can_run = static_cast<bool>(space);
  std::set<std::uint32_t> block_sizes;
  for (const auto* c : cases) block_sizes.insert(BlockSizeFor(*c, options));
  // Once interrupted, every case still to run is reported as not run, so
  // the report accounts for every planned case.
  for (std::size_t i = 0; can_run && i < options.filesystems.size(); ++i) {
    for (std::uint32_t bs : block_sizes) {
      const auto spec = SpecFor(options, options.filesystems[i], bs);
      report::ConfigInfo config{std::string(scratch::FsTypeName(spec.fs)), bs, "",
                                spec.mount_options, "", options.config_name};
      if (options.mkfs_block_size && bs != *options.mkfs_block_size) {
        // The mkfs options fix the block size; never override them.
        const std::string why = options.mkfs_options_from + " sets block size " +
                                std::to_string(*options.mkfs_block_size) + "; the case needs " +
                                std::to_string(bs);
        for (const auto* c : cases)
          if (BlockSizeFor(*c, options) == bs)
            report_case(config, NotRun(*c, engine::RunStatus::kSkipped, why));
        continue;
      }
      std::vector<const CaseSpec*> runnable;
      for (const auto* c : cases) {
        if (BlockSizeFor(*c, options) != bs) continue;
        if (Applies(*c, spec.fs))
          runnable.push_back(c);
        else
          report_case(config, NotRun(*c, engine::RunStatus::kSkipped, "the case is for " + FsList(*c)));
      }
      if (runnable.empty()) continue;
      if (os::InterruptRequested()) {
        for (const auto* c : runnable) report_case(config, Interrupted(*c));
        continue;
      }
      // On a user's scratch device every configuration is mkfs'd on it in turn.
      auto fs =
          options.scratch_target
              ? scratch::ScratchFs::CreateOnDevice(spec, *options.scratch_target,
                                                   space->lease.get())
              : scratch::ScratchFs::Create(spec, space->dir->path(),
                                           config.fs + "-" + std::to_string(bs),
                                           space->lease.get());
      if (!fs && os::InterruptRequested()) {
        for (const auto* c : runnable) report_case(config, Interrupted(*c));
        continue;
      }
      if (!fs) {
        const std::string why = "scratch " + config.Label() + ": " + fs.error().Message();
        reporter.ConfigFailed(config, why);
        for (const auto* c : runnable)
          report_case(config, NotRun(*c, engine::RunStatus::kError, SetupFailed(config)));
        continue;
      }
      config.mkfs_command = (*fs)->mkfs_result().CommandLine();
      config.device = (*fs)->device();
      config.block_size = (*fs)->block_size();
      reporter.ConfigReady(config);
      for (std::size_t k = 0; k < runnable.size(); ++k) {
        const auto* c = runnable[k];
        if (os::InterruptRequested()) {
          report_case(config, Interrupted(*c));
          continue;
        }
        spdlog::info("{}: {} ({} of {})", config.Label(), c->name, k + 1, runnable.size());
        reporter.CaseStarted(config, c->name);
        auto outcome = report_case(config, engine::RunCase(**fs, *c, options.scenario));
        if (options.keep &&
            (outcome == oracles::Outcome::kFail || outcome == oracles::Outcome::kError)) {
          (*fs)->KeepImage();
          if (space->dir) space->dir->Keep();
        }
      }
    }
  }
  if (os::InterruptRequested()) reporter.Interrupted(os::InterruptSignal());
  reporter.Finish(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return outcomes;
}

}  // namespace eofzero::cli
