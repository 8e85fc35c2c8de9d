#include "cli/options.h"

#include <CLI/CLI.hpp>
#include <charconv>

#include "cli/commands.h"
#include "cli/names.h"
#include "cli/option_groups.h"
#include "cli/validate.h"

namespace eofzero::cli {

// The run command's options: the shared groups, then its own (the scenario
// flags, validated below, and the scratch device).
void AddRunOptions(CLI::App& run, RawOptions& raw) {
  AddConfigOptions(run, raw);
  AddCaseOptions(run, raw);
  AddReportOptions(run, raw);
  run.add_option("--config-name", raw.config_name, "a matrix worker's configuration name")
      ->group("");
  run.add_flag("--worker", raw.worker, "run as a matrix's worker")->group("");
  run.add_option("--gap", raw.gap, "bytes between the old EOF and the block end (16)");
  run.add_option("--shutdown", raw.shutdown,
                 "override every case's shutdown flag: " + ListNames(ShutdownFlagNames(), " or "));
  run.add_flag("--direct-read-before-crash", raw.direct_before_crash,
               "also O_DIRECT-read the gap before the crash (writes back the EOF page first)");
  run.add_option("--scratch-dev", raw.scratch_dev,
                 "run on this block device instead of images: it is mkfs'd for every "
                 "configuration (needs --scratch-mnt)");
  run.add_option("--scratch-mnt", raw.scratch_mnt,
                 "an existing directory, not a mount point, to mount the scratch device on");
  run.add_flag("--fstests", raw.fstests,
               "take FSTYP, SCRATCH_DEV, SCRATCH_MNT, MKFS_OPTIONS and MOUNT_OPTIONS from the "
               "environment, as fstests sets them (flags win)");
  run.add_option("--inject-fault", raw.faults, "self-test faults")->group("");
  AddRecordOption(run, raw);
}

namespace {

// With --fstests: the environment fills what the flags left open.
std::expected<void, std::string> MergeFstestsEnv(RawOptions& raw, const EnvLookup& lookup) {
  auto env = ReadFstestsEnv(lookup, raw.given);
  if (!env) return std::unexpected(env.error());
  if (env->fs) raw.fs = {std::string(fsdriver::FsTypeName(*env->fs))};
  if (env->scratch_dev) {
    raw.scratch_dev = *env->scratch_dev;
    raw.scratch_dev_from = "SCRATCH_DEV";
  }
  if (env->scratch_mnt) {
    raw.scratch_mnt = *env->scratch_mnt;
    raw.scratch_mnt_from = "SCRATCH_MNT";
  }
  if (env->mkfs_options) {
    raw.mkfs_options = *env->mkfs_options;
    raw.mkfs_options_from = "MKFS_OPTIONS";
  }
  if (env->mount_options) {
    raw.mount_options = *env->mount_options;
    raw.mount_options_from = "MOUNT_OPTIONS";
  }
  return {};
}

// --gap: inside the block (after the block size is known).
std::expected<void, std::string> ValidateGap(const RawOptions& raw, suite::RunOptions& o) {
  auto gap = ParseU32("--gap", raw.gap);
  if (!gap) return std::unexpected(gap.error());
  if (*gap == 0 || *gap >= o.block_size)
    return std::unexpected("--gap: " + raw.gap + " must be from 1 to block size - 1 (" +
                           std::to_string(o.block_size - 1) + ")");
  o.scenario.gap_bytes = *gap;
  return {};
}

// Every concern in turn, in an order that names the same mistake first
// whatever else is wrong.
std::expected<suite::RunOptions, std::string> Validate(const RawOptions& raw, bool run_command) {
  suite::RunOptions o;
  for (auto check : {ValidateFilesystems, ValidateCaseOptions, ValidateBlockSize,
                     ValidateScratchTarget, ValidateGap, ValidateImageSize, ValidateWorkdir,
                     ValidateRecord})
    if (auto ok = check(raw, o); !ok) return std::unexpected(ok.error());
  // The scenario: --shutdown, the self-test's faults, --direct-read-before-crash.
  if (raw.shutdown.empty()) {
    o.scenario.shutdown_flag.reset();  // as each case's shutdown step says
  } else if (auto flag = ParseShutdownFlag(raw.shutdown)) {
    o.scenario.shutdown_flag = *flag;
  } else {
    return std::unexpected("--shutdown: '" + raw.shutdown + "' is not one of " +
                           ListNames(ShutdownFlagNames()));
  }
  for (const auto& f : raw.faults) {
    if (f == "bad-logged-write") {  // the crash states' control: it changes the log, not a call
      if (!o.crash_states.enabled)
        return std::unexpected("--inject-fault bad-logged-write: needs --crash-states");
      o.crash_states.bad_logged_write = true;
      continue;
    }
    auto fault = engine::ParseFault(f);
    if (!fault) return std::unexpected("--inject-fault: unknown fault '" + f + "'");
    o.scenario.faults.push_back(*fault);
  }
  o.scenario.direct_read_before_crash = raw.direct_before_crash;
  if (auto ok = ValidateReportOptions(raw, run_command, o); !ok) return std::unexpected(ok.error());
  CopyConfigOptions(raw, o);
  return o;
}

}  // namespace

std::optional<std::uint64_t> ParseSize(std::string_view text) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p == text.data()) return std::nullopt;
  std::string_view suffix(p, static_cast<std::size_t>(text.data() + text.size() - p));
  int shift = 0;
  if (suffix == "K" || suffix == "k")
    shift = 10;
  else if (suffix == "M" || suffix == "m")
    shift = 20;
  else if (suffix == "G" || suffix == "g")
    shift = 30;
  else if (!suffix.empty())
    return std::nullopt;
  if (shift && v > (UINT64_MAX >> shift)) return std::nullopt;
  return v << shift;
}

std::expected<Invocation, std::string> ParseCommandLine(const std::vector<std::string>& args) {
  return ParseCommandLine(args, ProcessEnv());
}

std::expected<Invocation, std::string> ParseCommandLine(const std::vector<std::string>& args,
                                                        const EnvLookup& env) {
  RawOptions raw;
  SubcommandApps commands;
  const auto app = BuildCommandLine(raw, &commands);
  std::vector<std::string> argv_store = {"eofzero"};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<const char*> argv;
  for (const auto& a : argv_store) argv.push_back(a.c_str());
  auto parsed = [&]() -> const std::pair<CLI::App*, const Subcommand*>* {
    for (const auto& c : commands)
      if (c.first->parsed()) return &c;
    return nullptr;
  };
  Invocation inv;
  try {
    app->parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp&) {
    inv.help = app->help();  // the innermost subcommand's: "Usage: eofzero log show ..."
    return inv;
  } catch (const CLI::CallForVersion& e) {
    inv.help = std::string(e.what()) + "\n";
    return inv;
  } catch (const CLI::ParseError& e) {
    return std::unexpected(std::string(e.what()));
  }
  if (!parsed()) {
    inv.help = app->help();
    return inv;
  }
  const CLI::App* used = parsed()->first;
  auto given = [&](const char* name) {
    try {
      return used->count(name) > 0;
    } catch (const CLI::OptionNotFound&) {
      return false;
    }
  };
  raw.given = {given("--fs"), given("--scratch-dev"), given("--scratch-mnt"),
               given("--mkfs-options"), given("--mount-options")};
  raw.block_size_given = given("--block-size");
  raw.jobs_given = given("--jobs");
  if (raw.fstests) {
    if (auto merged = MergeFstestsEnv(raw, env); !merged) return std::unexpected(merged.error());
  }
  inv.command = parsed()->second->command;
  inv.args = args;
  inv.list_steps = raw.list_steps;
  inv.list_names = raw.list_names;
  inv.generate = raw.generate;
  auto options = Validate(raw, inv.command == Command::kRun || inv.command == Command::kSweep);
  if (!options) return std::unexpected(options.error());
  inv.run = std::move(*options);
  if (inv.command == Command::kSelftest && inv.run.format != report::ReportFormat::kHuman &&
      inv.run.format != report::ReportFormat::kJson)
    return std::unexpected("--format: selftest writes human or json");
  if (inv.command == Command::kMatrix) {
    auto matrix = ValidateMatrixOptions(raw);
    if (!matrix) return std::unexpected(matrix.error());
    inv.matrix = *matrix;
  }
  if (inv.command == Command::kSweep) {
    auto sweep = ValidateSweepOptions(raw);
    if (!sweep) return std::unexpected(sweep.error());
    inv.sweep = *sweep;
  }
  if (inv.command == Command::kExplore) {
    auto explore = ValidateExploreOptions(raw);
    if (!explore) return std::unexpected(explore.error());
    inv.explore = *explore;
  }
  if (inv.command == Command::kKernels ||
      (inv.command == Command::kExplore && !raw.kernels.empty())) {
    auto kernels = ValidateKernelsOptions(raw);
    if (!kernels) return std::unexpected(kernels.error());
    inv.kernels = std::move(*kernels);
  }
  if (inv.command == Command::kReport && !raw.merge.empty()) {
    auto merge = ValidateReportMerge(raw);
    if (!merge) return std::unexpected(merge.error());
    inv.report_merge = std::move(*merge);
  } else if (inv.command == Command::kReport) {
    auto input = ValidateReportInput(raw);
    if (!input) return std::unexpected(input.error());
    inv.report_input = *input;
  }
  if (inv.command == Command::kExport) {
    auto paths = ValidateExportOptions(raw);
    if (!paths) return std::unexpected(paths.error());
    inv.export_input = paths->report;
    inv.export_dir = paths->dir;
  }
  if (inv.command == Command::kLog) {
    auto log = ValidateLogOptions(raw);
    if (!log) return std::unexpected(log.error());
    inv.log = *log;
  }
  return inv;
}

}  // namespace eofzero::cli
