#include "suite/run_suite.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "os/process.h"
#include "report/record.h"
#include "scratch/write_log.h"

namespace eofzero::suite {
namespace {

using engine::CaseSpec;

scratch::ScratchSpec SpecFor(const RunOptions& options, fsdriver::FsType fs, std::uint32_t bs) {
  scratch::ScratchSpec spec;
  spec.fs = fs;
  spec.block_size = bs;
  spec.mkfs_options = options.mkfs_options;
  spec.mount_options = options.mount_options;
  spec.image_bytes = options.image_bytes;
  spec.server_timeout = options.server_timeout;
  if (!options.record_dir.empty())
    spec.record_log = RecordLogPath(options.record_dir, fs, bs).string();
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

std::uint32_t BlockSizeFor(const CaseSpec& c, const RunOptions& options) {
  return c.block_size.value_or(options.block_size);
}

bool Applies(const CaseSpec& c, fsdriver::FsType fs) {
  return c.filesystems.empty() ||
         std::find(c.filesystems.begin(), c.filesystems.end(), fs) != c.filesystems.end();
}

std::string FsList(const CaseSpec& c) {
  std::string s;
  for (auto fs : c.filesystems) s += (s.empty() ? "" : ", ") + std::string(fsdriver::FsTypeName(fs));
  return s;
}

// One run of the suite: every case is reported exactly once, whether it ran,
// was skipped, or was kept from running by a setup error or an interrupt.
class SuiteRun {
 public:
  SuiteRun(const RunOptions& options, const std::vector<const CaseSpec*>& cases,
           ScratchProvider& scratch, report::Reporter& reporter, const InterruptPoll& interrupt)
      : options_(options),
        cases_(cases),
        scratch_(scratch),
        reporter_(reporter),
        interrupt_(interrupt) {}

  std::vector<oracles::Outcome> Run() {
    const auto start = std::chrono::steady_clock::now();
    reporter_.Planned(cases_.size() * options_.filesystems.size());
    reporter_.RunStarted(os::KernelRelease());
    if (auto space = scratch_.Open(); !space) {
      report::ConfigInfo none{"-", options_.block_size, "", options_.mount_options,
                              "-", options_.config_name};
      reporter_.ConfigFailed(none, space.error().Message());
      for (const auto* c : cases_)
        ReportCase(none, NotRun(*c, engine::RunStatus::kError, SetupFailed(none)));
    } else {
      std::set<std::uint32_t> block_sizes;
      for (const auto* c : cases_) block_sizes.insert(BlockSizeFor(*c, options_));
      // Once interrupted, every case still to run is reported as not run, so
      // the report accounts for every planned case.
      for (auto fs : options_.filesystems)
        for (std::uint32_t bs : block_sizes) RunConfiguration(SpecFor(options_, fs, bs));
    }
    if (interrupt_()) reporter_.Interrupted(interrupt_());
    reporter_.Finish(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return outcomes_;
  }

 private:
  oracles::Outcome ReportCase(const report::ConfigInfo& config, engine::CaseRun run) {
    // A case that ended in an error after the signal arrived was stopped by
    // it (its steps, or its mkfs or fsck, which got the terminal's SIGINT too).
    if (run.status == engine::RunStatus::kError && interrupt_()) run.interrupted = true;
    oracles::Verdict verdict = oracles::Judge(run);
    outcomes_.push_back(verdict.outcome);
    reporter_.CaseDone(config, report::CaseResult(config, run, verdict));
    return verdict.outcome;
  }

  // A case the signal kept from starting: ERROR "not run: interrupted by signal 2 (SIGINT)".
  void ReportInterrupted(const report::ConfigInfo& config, const CaseSpec& spec) {
    auto run =
        NotRun(spec, engine::RunStatus::kError, "not run: " + report::Interruption(interrupt_()));
    run.interrupted = true;
    ReportCase(config, std::move(run));
  }

  // The cases of one filesystem and block size: those that apply to it run on
  // one scratch filesystem; the others are skipped.
  void RunConfiguration(const scratch::ScratchSpec& spec) {
    const std::uint32_t bs = spec.block_size;
    report::ConfigInfo config{std::string(fsdriver::FsTypeName(spec.fs)),
                              bs,
                              "",
                              spec.mount_options,
                              "",
                              options_.config_name};
    if (options_.mkfs_block_size && bs != *options_.mkfs_block_size) {
      // The mkfs options fix the block size; never override them.
      const std::string why = options_.mkfs_options_from + " sets block size " +
                              std::to_string(*options_.mkfs_block_size) + "; the case needs " +
                              std::to_string(bs);
      for (const auto* c : cases_)
        if (BlockSizeFor(*c, options_) == bs)
          ReportCase(config, NotRun(*c, engine::RunStatus::kSkipped, why));
      return;
    }
    std::string refused = fsdriver::Driver(spec.fs).BlockSizeRefused(bs);
    if (refused.empty()) refused = scratch_.KernelLacks(config.fs);
    std::vector<const CaseSpec*> runnable;
    for (const auto* c : cases_) {
      if (BlockSizeFor(*c, options_) != bs) continue;
      if (Applies(*c, spec.fs) && !refused.empty())
        ReportCase(config, NotRun(*c, engine::RunStatus::kSkipped, refused));
      else if (Applies(*c, spec.fs))
        runnable.push_back(c);
      else
        ReportCase(config,
                   NotRun(*c, engine::RunStatus::kSkipped, "the case is for " + FsList(*c)));
    }
    if (runnable.empty()) return;
    if (interrupt_()) {
      for (const auto* c : runnable) ReportInterrupted(config, *c);
      return;
    }
    // On a user's scratch device every configuration is mkfs'd on it in turn.
    auto fs = scratch_.Make(spec, config.fs + "-" + std::to_string(bs));
    if (!fs && interrupt_()) {
      for (const auto* c : runnable) ReportInterrupted(config, *c);
      return;
    }
    if (!fs) {
      const std::string why = "scratch " + config.Label() + ": " + fs.error().Message();
      reporter_.ConfigFailed(config, why);
      for (const auto* c : runnable)
        ReportCase(config, NotRun(*c, engine::RunStatus::kError, SetupFailed(config)));
      return;
    }
    config.mkfs_command = (*fs)->MkfsCommand();
    config.device = (*fs)->Device();
    config.block_size = (*fs)->BlockSize();
    reporter_.ConfigReady(config);
    std::vector<std::pair<const CaseSpec*, engine::CaseRun>> crashed;
    RunCases(*fs, spec, config, runnable, crashed);
    if (!*fs) return;  // it became unusable and no new one could be made
    const std::string uuid = (*fs)->Uuid();
    // A recording whose log could not be written whole is the configuration's
    // setup error, even when every case passed (and no crash state is read
    // from such a log).
    if (auto finished = (*fs)->Finish(); !finished) {
      reporter_.ConfigFailed(config,
                             "scratch " + config.Label() + ": " + finished.error().Message());
      outcomes_.push_back(oracles::Outcome::kError);
      return;
    }
    if (!options_.crash_states.enabled || spec.record_log.empty()) return;
    fs->reset();  // its recording server stopped: the log is complete
    CheckStates(config, spec, uuid, crashed);
  }

  // Every crash state of each case that crashed, after the configuration.
  void CheckStates(const report::ConfigInfo& config, const scratch::ScratchSpec& spec,
                   const std::string& uuid,
                   const std::vector<std::pair<const CaseSpec*, engine::CaseRun>>& crashed) {
    if (crashed.empty()) return;
    auto place = scratch_.StatesPlace();
    auto log = scratch::ReadWriteLog(spec.record_log);
    for (const auto& [c, run] : crashed) {
      oracles::CrashStates states;
      if (!place || !log) {
        states.case_name = run.case_name;
        states.case_file = run.case_file;
        states.log = spec.record_log;
        states.error = !log ? "the write log: " + log.error().Message()
                            : std::string("no place to serve crash states");
        oracles::JudgeCrashStates(states);
      } else {
        const StateSource source{&*log,          spec.record_log, spec,       uuid,
                                 config.block_size, place->dir,    place->lease};
        spdlog::info("{}: {} crash states", config.Label(), run.case_name);
        states = CheckCrashStates(source, *c, options_.scenario, run, options_.crash_states,
                                  interrupt_);
      }
      outcomes_.push_back(states.outcome);
      reporter_.CrashStatesDone(config, states);
    }
  }

  // `fs` is replaced by a new filesystem when a case leaves it unusable.
  void RunCases(std::unique_ptr<ScratchSession>& fs, const scratch::ScratchSpec& spec,
                const report::ConfigInfo& config, const std::vector<const CaseSpec*>& runnable,
                std::vector<std::pair<const CaseSpec*, engine::CaseRun>>& crashed) {
    int remade = 0;
    for (std::size_t k = 0; k < runnable.size(); ++k) {
      const auto* c = runnable[k];
      if (interrupt_()) {
        ReportInterrupted(config, *c);
        continue;
      }
      if (const std::string why = fs->Unusable(); !why.empty()) {
        // Every later case would fail on it for a reason that is not its
        // own: they run on a new one. A recording's log belongs to that
        // filesystem (its crash states are judged on it): none is made.
        const std::string not_run = "not run: the filesystem is unusable (" + why + ")";
        if (!spec.record_log.empty()) {
          for (; k < runnable.size(); ++k)
            ReportCase(config, NotRun(*runnable[k], engine::RunStatus::kError,
                                      not_run + "; a recording's filesystem is not made again"));
          return;
        }
        fs.reset();  // released first: on a user's device the new one is made in its place
        auto fresh = scratch_.Make(spec, config.fs + "-" + std::to_string(spec.block_size) + "-" +
                                             std::to_string(++remade + 1));
        if (!fresh) {
          for (; k < runnable.size(); ++k)
            ReportCase(config, NotRun(*runnable[k], engine::RunStatus::kError,
                                      not_run + "; a new one could not be made: " +
                                          fresh.error().Message()));
          return;
        }
        spdlog::warn("{}: made a new filesystem ({}) for the {} cases left: {}", config.Label(),
                     (*fresh)->Device(), runnable.size() - k, why);
        fs = std::move(*fresh);
      }
      spdlog::info("{}: {} ({} of {})", config.Label(), c->name, k + 1, runnable.size());
      reporter_.CaseStarted(config, c->name);
      engine::CaseRun run = fs->RunCase(*c, options_.scenario);
      if (options_.crash_states.enabled && run.crash_point) crashed.emplace_back(c, run);
      auto outcome = ReportCase(config, std::move(run));
      const bool failed =
          outcome == oracles::Outcome::kFail || outcome == oracles::Outcome::kError;
      if (options_.keep && failed) {
        fs->Keep();
      } else if (options_.record_dir.empty()) {
        // A recording keeps them: its crash states are judged after the
        // configuration, on the log as the cases left it.
        fs->Forget(*c);
      }
    }
  }

  const RunOptions& options_;
  const std::vector<const CaseSpec*>& cases_;
  ScratchProvider& scratch_;
  report::Reporter& reporter_;
  const InterruptPoll& interrupt_;
  std::vector<oracles::Outcome> outcomes_;
};

}  // namespace

std::filesystem::path RecordLogPath(const std::filesystem::path& dir, fsdriver::FsType fs,
                                    std::uint32_t block_size) {
  return dir / (std::string(fsdriver::FsTypeName(fs)) + "-" + std::to_string(block_size) + ".ezlog");
}

std::vector<oracles::Outcome> RunSuite(const RunOptions& options,
                                       const std::vector<const CaseSpec*>& cases,
                                       ScratchProvider& scratch, report::Reporter& reporter,
                                       const InterruptPoll& interrupt) {
  return SuiteRun(options, cases, scratch, reporter, interrupt).Run();
}

std::vector<oracles::Outcome> RunSuite(const RunOptions& options,
                                       const std::vector<const CaseSpec*>& cases,
                                       report::Reporter& reporter) {
  auto scratch = MakeScratchProvider(options.workdir, options.scratch_target);
  return RunSuite(options, cases, *scratch, reporter, ProcessInterrupt);
}

}  // namespace eofzero::suite
