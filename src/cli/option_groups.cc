#include "cli/option_groups.h"

#include "cli/names.h"
#include "fsdriver/registry.h"
#include "explore/space.h"
#include "explore/workload.h"
#include "suite/explore_plan.h"
#include "suite/sweep_plan.h"

namespace eofzero::cli {

void AddConfigOptions(CLI::App& app, RawOptions& raw) {
  app.add_option("--fs", raw.fs, "filesystems to test, comma separated (" + fsdriver::FsTypeNames(",") + ")")->delimiter(',');
  app.add_option("--mkfs-options", raw.mkfs_options, "extra mkfs options, appended");
  app.add_option("--mount-options", raw.mount_options, "mount options (default: kernel's)");
  app.add_option("--block-size", raw.block_size, "filesystem block size in bytes (4096)");
  app.add_option("--image-size", raw.image_size, "sparse image size, e.g. 512M (per fs default)");
  app.add_option("--workdir", raw.workdir, "where sparse images live ($TMPDIR or /var/tmp)");
  app.add_flag("--keep", raw.keep, "keep the image of a configuration with a failure or error");
  app.add_flag("-v,--verbose", raw.verbose, "more diagnostics on stderr (repeatable)");
  app.add_flag("-q,--quiet", raw.quiet, "fewer diagnostics on stderr");
}

void AddReportOptions(CLI::App& app, RawOptions& raw) {
  app.add_option("--format", raw.format, "report format: " + ReportFormatHelp() + " (human)");
  app.add_option("--output", raw.output,
                 "write the report to this file (stdout then shows the human report)");
}

void AddCaseOptions(CLI::App& app, RawOptions& raw) {
  app.add_option("--case", raw.cases,
                 "cases to run: names or shell globs, comma separated ('*' is the whole catalog; "
                 "default: the generic/790 cases)")
      ->delimiter(',')
      ->allow_extra_args(false);  // a glob's [...] is not CLI11's list syntax
  app.add_option("--cases-dir", raw.cases_dirs, "also load the case files in this folder")
      ->delimiter(',');
}

void AddListOptions(CLI::App& app, RawOptions& raw) {
  app.add_flag("--steps", raw.list_steps,
               "print the case language's steps (a markdown table: docs/cases.md's) instead");
  app.add_flag("--names", raw.list_names, "print the case names only, one a line")->group("");
  app.add_option("--cases-dir", raw.cases_dirs, "also load the case files in this folder")
      ->delimiter(',');
  // What `run` would check the cases with (cli::PreflightCases).
  app.add_option("--fs", raw.fs, "check the cases for these filesystems (" + fsdriver::FsTypeNames(",") + ")")
      ->delimiter(',');
  app.add_option("--block-size", raw.block_size,
                 "check the cases at this block size, unless they set one (4096)");
  app.add_option("--gap", raw.gap, "check the cases with this gap, unless they set one (16)");
  app.add_option("--image-size", raw.image_size,
                 "check what the cases allocate against this image size (per fs default)");
}

void AddSweepOptions(CLI::App& app, RawOptions& raw) {
  AddConfigOptions(app, raw);
  AddCaseOptions(app, raw);
  AddReportOptions(app, raw);
  AddRecordOption(app, raw);
  app.add_option("--gap", raw.gap, "bytes between the old EOF and the block end (16)");
  // The lists are the tables --sync, --crash and --distance parse.
  auto all = [](const auto& names) {
    return ListNames(std::vector<std::string>(std::begin(names), std::end(names))) + ": all";
  };
  app.add_option("--sync", raw.sweep_sync,
                 "durability primitives, comma separated (" + all(suite::kPrimitives) +
                     "; sync_range: the range the extension wrote, sync_range_file: the whole "
                     "file)")
      ->delimiter(',');
  app.add_option("--crash", raw.sweep_crash,
                 "crash modes, comma separated (" + all(suite::kCrashModes) + ")")
      ->delimiter(',');
  app.add_option("--points", raw.sweep_points,
                 "crash after every step from the extension on (all), after the last (last), or "
                 "after the step on this line of the case file (last)");
  app.add_option("--distance", raw.sweep_distance,
                 "where a one-pwrite extension writes, comma separated (" + all(suite::kDistances) +
                     "; as-written: the case's own offset)")
      ->delimiter(',');
  app.add_option("--iterations", raw.sweep_iterations, "run every tuple this many times (1)");
  app.add_option("--seed", raw.sweep_seed, "shuffle the tuples with this seed (0: in order)");
  app.add_option("-j,--jobs", raw.jobs,
                 "processes that run the tuples, a slice each, on filesystems of their own "
                 "(1: all in this one)");
  // A worker of `sweep -j`: its slice K/N and its JSON report's file.
  app.add_option("--worker-slice", raw.sweep_worker_slice, "a sweep worker's slice")->group("");
  app.add_option("--worker-output", raw.sweep_worker_output, "a sweep worker's report")->group("");
}

void AddExploreOptions(CLI::App& app, RawOptions& raw) {
  AddConfigOptions(app, raw);
  AddReportOptions(app, raw);
  app.add_option("--cases-dir", raw.cases_dirs,
                 "also match findings with the case files in this folder")
      ->delimiter(',');
  app.add_option("--gap", raw.gap, "bytes between the old EOF and the block end (16)");
  auto all = [](std::span<const char* const> names) {
    return ListNames(std::vector<std::string>(names.begin(), names.end())) + ": all";
  };
  std::vector<std::string> families;
  for (const auto& op : explore::Ops())
    if (std::find(families.begin(), families.end(), op.family) == families.end())
      families.push_back(op.family);
  app.add_option("--depth", raw.explore_depth,
                 "operations per workload: every workload of 1 to N operations (1; at most " +
                     std::to_string(suite::kMaxExploreDepth) + ")");
  app.add_option("--ops", raw.explore_ops,
                 "operations, comma separated (" + ListNames(families) +
                     ": all; pwrite includes O_DIRECT, O_APPEND and RWF_APPEND writes)")
      ->delimiter(',');
  app.add_option("--offsets", raw.explore_offsets,
                 "where an operation starts, from the file's size then, comma separated (" +
                     all(explore::OffsetNames()) + ")")
      ->delimiter(',');
  app.add_option("--lengths", raw.explore_lengths,
                 "how long it is, comma separated (" + all(explore::LengthNames()) + ")")
      ->delimiter(',');
  app.add_option("--persist", raw.explore_persist,
                 "what makes it durable, comma separated (" + all(explore::PersistNames()) + ")")
      ->delimiter(',');
  app.add_option("--crash", raw.sweep_crash,
                 "crash modes, comma separated (" + all(explore::CrashModeNames()) + ")")
      ->delimiter(',');
  app.add_flag("--count", raw.explore_count,
               "print how many workloads and runs the bounds make, per depth, and stop");
  app.add_option("--sample", raw.explore_sample,
                 "run N workloads of --depth operations drawn at random (each at every crash "
                 "point) instead of every workload");
  app.add_option("--seed", raw.sweep_seed, "--sample: the seed of the draw (0)");
  app.add_option("--shard", raw.shard,
                 "run only the K-th of M slices of the planned runs (K/M: every M-th run from "
                 "the K-th), and reduce its findings; `report --merge` joins the slices' JSON "
                 "reports");
  app.add_option("--confirm", raw.explore_confirm,
                 "run each reduced finding this many times more (3)");
  app.add_option("--export", raw.explore_export,
                 "write each finding's reduced workload as a case file into this folder");
  app.add_option("--results", raw.explore_results,
                 "write a JSON line per run into this file as it ends (configuration, case, "
                 "workload, crash mode, verdict, finding)");
  app.add_flag("--resume", raw.explore_resume,
               "with --results: do not run again the runs the file already has (their "
               "verdicts count as if they ran now), and append to it");
  app.add_option("-j,--jobs", raw.jobs,
                 "processes that run the planned runs, a contiguous slice each, on filesystems "
                 "of their own; this one then reduces (1: all in this one)");
  // A worker of `explore -j`: its slice K/N (its lines go to --results, its
  // report's JSON to --worker-output) of the runs --worker-done lacks.
  app.add_option("--worker-slice", raw.sweep_worker_slice, "an explore worker's slice")->group("");
  app.add_option("--worker-output", raw.sweep_worker_output, "an explore worker's report")
      ->group("");
  app.add_option("--worker-done", raw.explore_worker_done, "an explore worker's runs done")
      ->group("");
  app.add_option("--emit-cases", raw.explore_emit,
                 "write every run's case file into this folder and stop (no root): "
                 "`eofzero run`, `matrix` and `kernels` run them with --cases-dir");
  app.add_option("--kernel", raw.kernels,
                 "run the planned runs on these kernels instead, as `eofzero kernels` (same "
                 "SPECs): a verdict per run and kernel, nothing reduced");
  // The positive control (stale-after-crash-after-copy-range), as run's.
  app.add_option("--inject-fault", raw.faults, "self-test faults")->group("");
}

void AddSelftestOptions(CLI::App& app, RawOptions& raw) {
  AddConfigOptions(app, raw);
  app.add_option("--format", raw.format, "report format: human or json (human)");
  app.add_option("--output", raw.output,
                 "write the report to this file (json: the text stays on stdout)");
  app.add_option("--probe-case", raw.probe_case,
                 "the case the controls run on, one that passes here (truncate_up)");
}

void AddMatrixOptions(CLI::App& app, RawOptions& raw) {
  app.add_option("--config", raw.matrix_config,
                 "the matrix file (default: the shipped matrix.toml)");
  app.add_option("-j,--jobs", raw.jobs, "configurations at once (default: online CPUs)");
  app.add_option("--workdir", raw.workdir, "where sparse images live ($TMPDIR or /var/tmp)");
  app.add_option("--cases-dir", raw.cases_dirs, "also load the case files in this folder")
      ->delimiter(',');
  app.add_flag("--keep", raw.keep, "keep the image of a configuration with a failure or error");
  app.add_flag("-v,--verbose", raw.verbose, "more diagnostics on stderr (repeatable)");
  app.add_flag("-q,--quiet", raw.quiet, "fewer diagnostics on stderr");
  AddReportOptions(app, raw);
}

void AddCleanupOptions(CLI::App& app, RawOptions& raw) {
  app.add_flag("-v,--verbose", raw.verbose, "more diagnostics on stderr (repeatable)");
  app.add_flag("-q,--quiet", raw.quiet, "fewer diagnostics on stderr");
}

void AddReportCommandOptions(CLI::App& app, RawOptions& raw) {
  app.add_option("json", raw.report_input, "a JSON report of run or matrix");
  app.add_option("--merge", raw.merge,
                 "join these reports (the shards of `kernels --shard` or `explore --shard`) into one");
  AddReportOptions(app, raw);
}

void AddRecordOption(CLI::App& app, RawOptions& raw) {
  app.add_option("--record", raw.record,
                 "record every block write of each configuration's scratch filesystem into "
                 "DIR/FS-BS.ezlog (through eofzero's FUSE server)");
  app.add_flag("--crash-states", raw.crash_states,
               "with --record: after each configuration, check every crash state each case's "
               "crash implies (each barrier, and subsets of the writes after it)");
  app.add_option("--subset-limit", raw.subset_limit,
                 "--crash-states: every subset of an epoch with at most this many writes (8)");
  app.add_option("--subset-samples", raw.subset_samples,
                 "--crash-states: random subsets of a larger epoch, besides its in-order "
                 "prefixes (32)");
  app.add_option("--states-seed", raw.states_seed, "--crash-states: the seed of those (0)");
  app.add_flag("--torn", raw.torn,
               "--crash-states: also states with one multi-sector write torn");
  app.add_option("--server-timeout", raw.server_timeout,
                 "with --record: seconds a FUSE server may leave a request unanswered before "
                 "the run aborts its connection, an ERROR (30)");
}

void AddLogOptions(CLI::App& app, RawOptions& raw) {
  app.require_subcommand(1);
  CLI::App* show = app.add_subcommand(
      "show", "print a write log: one line per record, grouped by flush epoch and step");
  show->add_option("log", raw.log_file, "a write log of run --record")->required();
  show->callback([&raw] { raw.log_action = "show"; });
  CLI::App* replay = app.add_subcommand(
      "replay", "write the image of one crash state of a write log, as a new sparse file");
  replay->add_option("log", raw.log_file, "a write log of run --record")->required();
  replay->add_option("--state", raw.log_state,
                     "the state to rebuild: K (as of barrier K), K:SUBSET (plus these writes of "
                     "epoch K, e.g. 3:0,2-4; N@A-B: only sectors A-B of change N), or final");
  replay->add_option("--image", raw.log_image, "the image file to write (must not exist)");
  replay->callback([&raw] { raw.log_action = "replay"; });
}

void AddVersionOptions(CLI::App&, RawOptions&) {}

void AddExportOptions(CLI::App& app, RawOptions& raw) {
  app.add_option("json", raw.report_input, "a JSON report of run (--format json)");
  app.add_option("--case", raw.cases,
                 "export these cases, comma separated, whatever their verdict (default: every "
                 "FAIL)")
      ->delimiter(',');
  app.add_option("--output-dir", raw.export_dir,
                 "write one folder per finding here: NAME.toml, repro.sh, fstests/NNN, "
                 "fstests/NNN.out, report.md (its folder must exist)");
}

void AddGenerateOptions(CLI::App& app, RawOptions& raw) {
  app.require_subcommand(1);
  app.add_subcommand("man", "the man page, eofzero.1 (roff)")->callback([&raw] {
    raw.generate = "man";
  });
  app.add_subcommand("bash-completion", "the bash completion script")->callback([&raw] {
    raw.generate = "bash-completion";
  });
}

}  // namespace eofzero::cli
