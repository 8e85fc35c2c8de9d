#include "cli/options.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <thread>

#include "cli/names.h"
#include "scratch/fs_limits.h"
#include "scratch/mkfs_command.h"
#include "scratch/scratch_fs.h"
#include "scratch/user_options.h"

namespace eofzero::cli {
namespace {

struct RawRun {
  std::vector<std::string> fs = {"ext4", "xfs"};
  std::vector<std::string> cases, cases_dirs;
  std::string mkfs_options, mount_options, workdir, image_size, shutdown;
  std::string block_size = "4096", gap = "16";
  std::string format = "human", output, config_name, matrix_config, report_input;
  std::string jobs;  // matrix -j; empty: one per CPU
  std::vector<std::string> faults;
  int verbose = 0, quiet = 0;
  bool keep = false, direct_before_crash = false, worker = false;
  // run only: the scratch device, fstests
  std::string scratch_dev, scratch_mnt;
  bool fstests = false;
  GivenFlags given;
  bool block_size_given = false, jobs_given = false;
  std::string mkfs_options_from = "--mkfs-options", mount_options_from = "--mount-options";
  std::string scratch_dev_from = "--scratch-dev", scratch_mnt_from = "--scratch-mnt";
};

// The options that say which scratch filesystems to build (run and selftest).
void AddConfigOptions(CLI::App& app, RawRun& raw) {
  app.add_option("--fs", raw.fs, "filesystems to test, comma separated (ext4,xfs)")->delimiter(',');
  app.add_option("--mkfs-options", raw.mkfs_options, "extra mkfs options, appended");
  app.add_option("--mount-options", raw.mount_options, "mount options (default: kernel's)");
  app.add_option("--block-size", raw.block_size, "filesystem block size in bytes (4096)");
  app.add_option("--image-size", raw.image_size, "sparse image size, e.g. 512M (per fs default)");
  app.add_option("--workdir", raw.workdir, "where sparse images live ($TMPDIR or /var/tmp)");
  app.add_flag("--keep", raw.keep, "keep the image of a configuration with a failure or error");
  app.add_flag("-v,--verbose", raw.verbose, "more diagnostics on stderr (repeatable)");
  app.add_flag("-q,--quiet", raw.quiet, "fewer diagnostics on stderr");
}

// Where the results go (run, matrix, report).
void AddReportOptions(CLI::App& app, RawRun& raw) {
  app.add_option("--format", raw.format, "report format: " + ReportFormatHelp() + " (human)");
  app.add_option("--output", raw.output,
                 "write the report to this file (stdout then shows the human report)");
}

void AddCaseOptions(CLI::App& run, RawRun& raw) {
  run.add_option("--case", raw.cases,
                 "cases to run: names or shell globs, comma separated ('*' is the whole catalog; "
                 "default: the generic/790 cases)")
      ->delimiter(',');
  run.add_option("--cases-dir", raw.cases_dirs, "also load the case files in this folder")
      ->delimiter(',');
}

void AddRunOptions(CLI::App& run, RawRun& raw) {
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
}

// With --fstests: the environment fills what the flags left open.
std::expected<void, std::string> MergeFstestsEnv(RawRun& raw, const EnvLookup& lookup) {
  auto env = ReadFstestsEnv(lookup, raw.given);
  if (!env) return std::unexpected(env.error());
  if (env->fs) raw.fs = {std::string(scratch::FsTypeName(*env->fs))};
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

// The scratch device, and a block size the mkfs options set.
std::expected<void, std::string> ValidateTarget(const RawRun& raw, suite::RunOptions& o) {
  // An empty value given on purpose is its own mistake, not a missing partner.
  if (raw.given.scratch_dev && raw.scratch_dev.empty())
    return std::unexpected("--scratch-dev: empty (give the block device)");
  if (raw.given.scratch_mnt && raw.scratch_mnt.empty())
    return std::unexpected("--scratch-mnt: empty (give the directory)");
  if (!raw.scratch_dev.empty() || !raw.scratch_mnt.empty()) {
    if (raw.scratch_mnt.empty())
      return std::unexpected(raw.scratch_dev_from +
                             ": needs --scratch-mnt (or SCRATCH_MNT with --fstests)");
    if (raw.scratch_dev.empty())
      return std::unexpected(raw.scratch_mnt_from +
                             ": needs --scratch-dev (or SCRATCH_DEV with --fstests)");
    if (!raw.image_size.empty())
      return std::unexpected("--image-size: does not apply to a scratch device");
    if (raw.keep)
      return std::unexpected(
          "--keep: does not apply to a scratch device (it keeps the last filesystem anyway)");
    o.scratch_target.emplace();
    o.scratch_target->device = raw.scratch_dev;
    o.scratch_target->mount_dir = raw.scratch_mnt;
    o.scratch_target->device_from = raw.scratch_dev_from;
    o.scratch_target->mount_dir_from = raw.scratch_mnt_from;
    for (auto fs : o.filesystems) {
      const std::uint64_t need = scratch::MinImageBytes(fs, o.block_size);
      if (need <= o.scratch_target->min_bytes) continue;
      o.scratch_target->min_bytes = need;
      o.scratch_target->min_bytes_why = scratch::MinImageText(fs, o.block_size);
    }
  }
  o.mkfs_options_from = raw.mkfs_options_from;
  if (auto ok = scratch::CheckMountOptions(raw.mount_options); !ok)
    return std::unexpected(raw.mount_options_from + ": " + ok.error());
  for (auto fs : o.filesystems) {
    if (auto ok = scratch::CheckMkfsOptions(fs, raw.mkfs_options); !ok)
      return std::unexpected(raw.mkfs_options_from + ": " + ok.error());
    auto bs = scratch::MkfsBlockSize(fs, raw.mkfs_options);
    if (!bs) return std::unexpected(raw.mkfs_options_from + ": " + bs.error());
    if (!*bs) continue;
    if (o.mkfs_block_size && *o.mkfs_block_size != **bs)
      return std::unexpected(raw.mkfs_options_from + ": sets different block sizes per filesystem");
    o.mkfs_block_size = **bs;
  }
  if (o.mkfs_block_size && raw.block_size_given && *o.mkfs_block_size != o.block_size)
    return std::unexpected("--block-size: " + raw.block_size + " conflicts with " +
                           raw.mkfs_options_from + ", which sets block size " +
                           std::to_string(*o.mkfs_block_size));
  if (o.mkfs_block_size) o.block_size = *o.mkfs_block_size;
  return {};
}

std::expected<std::uint32_t, std::string> ParseU32(const std::string& opt, const std::string& s) {
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty())
    return std::unexpected(opt + ": '" + s + "' is not a whole number");
  return v;
}

std::expected<suite::RunOptions, std::string> Validate(const RawRun& raw) {
  suite::RunOptions o;
  o.filesystems.clear();
  for (const auto& name : raw.fs) {
    auto fs = scratch::ParseFsType(name);
    if (!fs) return std::unexpected("--fs: unknown filesystem '" + name + "' (ext4 or xfs)");
    // Each filesystem is one column of the table: running one twice would
    // count its cases twice under one column.
    if (std::find(o.filesystems.begin(), o.filesystems.end(), *fs) != o.filesystems.end())
      return std::unexpected("--fs: " + name + " given twice");
    o.filesystems.push_back(*fs);
  }
  if (o.filesystems.empty()) return std::unexpected("--fs: no filesystem given");
  o.cases = raw.cases;
  for (const auto& dir : raw.cases_dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
      return std::unexpected("--cases-dir: " + dir + " is not a directory");
    o.cases_dirs.emplace_back(dir);
  }
  auto bs = ParseU32("--block-size", raw.block_size);
  if (!bs) return std::unexpected(bs.error());
  if (*bs < 1024 || *bs > 65536 || (*bs & (*bs - 1)))
    return std::unexpected("--block-size: " + raw.block_size +
                           " is not a power of two from 1024 to 65536");
  o.block_size = *bs;
  if (auto ok = ValidateTarget(raw, o); !ok) return std::unexpected(ok.error());
  auto gap = ParseU32("--gap", raw.gap);
  if (!gap) return std::unexpected(gap.error());
  if (*gap == 0 || *gap >= o.block_size)
    return std::unexpected("--gap: " + raw.gap + " must be from 1 to block size - 1 (" +
                           std::to_string(o.block_size - 1) + ")");
  o.scenario.gap_bytes = *gap;
  if (!raw.image_size.empty()) {
    auto size = ParseSize(raw.image_size);
    if (!size || *size == 0)
      return std::unexpected("--image-size: '" + raw.image_size + "' is not a size (e.g. 512M, 1G)");
    // What each filesystem needs at the run's block size (a case that asks
    // for another is checked with the cases: cli::PreflightCases).
    for (auto fs : o.filesystems)
      if (*size < scratch::MinImageBytes(fs, o.block_size))
        return std::unexpected("--image-size: " + raw.image_size +
                               " is too small: " + scratch::MinImageText(fs, o.block_size));
    o.image_bytes = *size;
  }
  const char* tmp = std::getenv("TMPDIR");
  o.workdir = !raw.workdir.empty() ? raw.workdir : (tmp && *tmp ? tmp : "/var/tmp");
  std::error_code ec;
  if (!std::filesystem::is_directory(o.workdir, ec))
    return std::unexpected("--workdir: " + o.workdir.string() + " is not a directory");
  if (raw.shutdown.empty()) {
    o.scenario.shutdown_flag.reset();  // as each case's shutdown step says
  } else if (auto flag = ParseShutdownFlag(raw.shutdown)) {
    o.scenario.shutdown_flag = *flag;
  } else {
    return std::unexpected("--shutdown: '" + raw.shutdown + "' is not one of " +
                           ListNames(ShutdownFlagNames()));
  }
  for (const auto& f : raw.faults) {
    if (f == "plant-outside-extent") {
      o.scenario.faults.plant_outside_extent = true;
    } else if (f == "plant-lost-write") {
      o.scenario.faults.plant_lost_write = true;
    } else if (f == "stale-after-crash") {
      o.scenario.faults.stale_after_crash = true;
    } else if (f == "stale-in-cache") {
      o.scenario.faults.stale_in_cache = true;
    } else if (f == "corrupt-directory-after-crash") {
      o.scenario.faults.corrupt_directory_after_crash = true;
    } else if (f == "throw-after-plant") {
      o.scenario.faults.throw_after_plant = true;
    } else if (f == "wrong-size-after-crash") {
      o.scenario.faults.wrong_size_after_crash = true;
    } else {
      return std::unexpected("--inject-fault: unknown fault '" + f + "'");
    }
  }
  o.scenario.direct_read_before_crash = raw.direct_before_crash;
  auto format = report::ParseReportFormat(raw.format);
  if (!format)
    return std::unexpected("--format: '" + raw.format + "' is not one of " +
                           ListNames(ReportFormatNames()));
  o.format = *format;
  if (o.format == report::ReportFormat::kFstests && !raw.output.empty())
    return std::unexpected("--output: the fstests format is for stdout only");
  if (!raw.output.empty()) {
    o.output = raw.output;
    const auto parent = o.output.has_parent_path() ? o.output.parent_path() : ".";
    if (!std::filesystem::is_directory(parent, ec))
      return std::unexpected("--output: " + parent.string() + " is not a directory");
    if (std::filesystem::is_directory(o.output, ec))
      return std::unexpected("--output: " + raw.output + " is a directory");
  }
  o.config_name = raw.config_name;
  o.worker = raw.worker;
  o.mkfs_options = raw.mkfs_options;
  o.mount_options = raw.mount_options;
  o.keep = raw.keep;
  o.verbosity = raw.verbose - raw.quiet;
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
  CLI::App app("eofzero: do ext4 and xfs keep the bytes past an old EOF zero, through a crash?",
               "eofzero");
  app.require_subcommand(0, 1);
  RawRun raw;
  CLI::App* run = app.add_subcommand("run", "run cases on scratch filesystems (needs root)");
  AddRunOptions(*run, raw);
  CLI::App* list = app.add_subcommand("list", "list the cases with their purpose and needs");
  CLI::App* selftest = app.add_subcommand(
      "selftest", "prove every oracle can fail: plant behind the filesystem's back (needs root)");
  AddConfigOptions(*selftest, raw);
  list->add_option("--cases-dir", raw.cases_dirs, "also load the case files in this folder")
      ->delimiter(',');
  // What `run` would check the cases with (cli::PreflightCases).
  list->add_option("--fs", raw.fs, "check the cases for these filesystems (ext4,xfs)")
      ->delimiter(',');
  list->add_option("--block-size", raw.block_size,
                   "check the cases at this block size, unless they set one (4096)");
  list->add_option("--gap", raw.gap, "check the cases with this gap, unless they set one (16)");
  list->add_option("--image-size", raw.image_size,
                   "check what the cases allocate against this image size (per fs default)");
  CLI::App* matrix = app.add_subcommand(
      "matrix", "run the cases on many filesystem configurations, in parallel (needs root)");
  matrix->add_option("--config", raw.matrix_config,
                     "the matrix file (default: the shipped matrix.toml)");
  matrix->add_option("-j,--jobs", raw.jobs, "configurations at once (default: online CPUs)");
  matrix->add_option("--workdir", raw.workdir, "where sparse images live ($TMPDIR or /var/tmp)");
  matrix->add_option("--cases-dir", raw.cases_dirs, "also load the case files in this folder")
      ->delimiter(',');
  matrix->add_flag("--keep", raw.keep, "keep the image of a configuration with a failure or error");
  matrix->add_flag("-v,--verbose", raw.verbose, "more diagnostics on stderr (repeatable)");
  matrix->add_flag("-q,--quiet", raw.quiet, "fewer diagnostics on stderr");
  AddReportOptions(*matrix, raw);
  CLI::App* cleanup = app.add_subcommand(
      "cleanup", "release what eofzero runs that were killed left behind (needs root)");
  cleanup->add_flag("-v,--verbose", raw.verbose, "more diagnostics on stderr (repeatable)");
  cleanup->add_flag("-q,--quiet", raw.quiet, "fewer diagnostics on stderr");
  CLI::App* report =
      app.add_subcommand("report", "render a JSON report again, in another format (no root)");
  report->add_option("json", raw.report_input, "a JSON report of run or matrix")->required();
  AddReportOptions(*report, raw);

  std::vector<std::string> argv_store = {"eofzero"};
  argv_store.insert(argv_store.end(), args.begin(), args.end());
  std::vector<const char*> argv;
  for (const auto& a : argv_store) argv.push_back(a.c_str());
  const std::pair<CLI::App*, Command> commands[] = {{run, Command::kRun},
                                                    {list, Command::kList},
                                                    {selftest, Command::kSelftest},
                                                    {matrix, Command::kMatrix},
                                                    {report, Command::kReport},
                                                    {cleanup, Command::kCleanup}};
  auto parsed = [&]() -> const std::pair<CLI::App*, Command>* {
    for (const auto& c : commands)
      if (c.first->parsed()) return &c;
    return nullptr;
  };
  Invocation inv;
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp&) {
    inv.help = parsed() ? parsed()->first->help() : app.help();
    return inv;
  } catch (const CLI::ParseError& e) {
    return std::unexpected(std::string(e.what()));
  }
  if (!parsed()) {
    inv.help = app.help();
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
  auto options = Validate(raw);
  if (!options) return std::unexpected(options.error());
  inv.command = parsed()->second;
  inv.run = std::move(*options);
  if (inv.command != Command::kRun && inv.run.format == report::ReportFormat::kFstests)
    return std::unexpected("--format: fstests is for `eofzero run` only");
  if (inv.command == Command::kMatrix) {
    inv.matrix.config = raw.matrix_config;
    std::error_code ec;
    if (!inv.matrix.config.empty() && !std::filesystem::is_regular_file(inv.matrix.config, ec))
      return std::unexpected("--config: " + inv.matrix.config.string() + " is not a file");
    const unsigned cpus = std::thread::hardware_concurrency();
    inv.matrix.jobs = cpus ? std::min(cpus, 64u) : 1;
    if (raw.jobs_given) {
      auto jobs = ParseU32("-j", raw.jobs);
      if (!jobs) return std::unexpected(jobs.error());
      if (*jobs < 1 || *jobs > 64) return std::unexpected("-j: must be 1 to 64");
      inv.matrix.jobs = *jobs;
    }
  }
  if (inv.command == Command::kReport) {
    inv.report_input = raw.report_input;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(inv.report_input, ec))
      return std::unexpected("report: " + raw.report_input + " is not a file");
  }
  return inv;
}

}  // namespace eofzero::cli
