// The command line as typed, before validation: CLI11 fills these strings
// and flags (option_groups.h), the validators (validate.h) turn them into
// suite::RunOptions and suite::MatrixOptions.
#pragma once

#include <string>
#include <vector>

#include "cli/fstests_env.h"

namespace eofzero::cli {

struct RawOptions {
  std::vector<std::string> fs = fsdriver::DefaultFsNames();
  std::vector<std::string> cases, cases_dirs;
  std::string mkfs_options, mount_options, workdir, image_size, shutdown;
  std::string block_size = "4096", gap = "16";
  std::string format = "human", output, config_name, matrix_config, report_input;
  std::string jobs;  // matrix, kernels and sweep -j; empty: their default
  std::vector<std::string> faults;
  // kernels: the --kernel words, --shard, --timeout, --append, --cache-dir;
  // report: --merge's files.
  std::vector<std::string> kernels, merge;
  std::string shard, timeout, append, cache_dir;
  bool kernels_selftest = false;  // kernels --selftest
  std::string probe_case;          // selftest, kernels --selftest: --probe-case
  int verbose = 0, quiet = 0;
  bool keep = false, direct_before_crash = false, worker = false, list_steps = false;
  bool list_names = false;  // list --names (for the bash completion)
  std::string generate;     // generate man|bash-completion
  std::string export_dir;   // export --output-dir DIR
  // run only: the scratch device, fstests
  std::string scratch_dev, scratch_mnt;
  std::string record;  // run --record DIR
  bool crash_states = false;  // --crash-states and its knobs
  std::string subset_limit = "8";
  std::string subset_samples = "32";
  std::string states_seed = "0";
  bool torn = false;
  std::string server_timeout = "30";  // --server-timeout SECONDS (with --record)
  // log ACTION LOG [--state S --image OUT]
  std::string log_action, log_file, log_state, log_image;
  bool fstests = false;
  // sweep only
  std::vector<std::string> sweep_sync, sweep_crash, sweep_distance;
  std::string sweep_points = "last", sweep_iterations = "1", sweep_seed = "0";
  std::string sweep_worker_slice, sweep_worker_output;  // a `sweep -j` or `explore -j` worker's
  std::string explore_worker_done;                      // an `explore -j --resume` worker's
  // explore only (--crash and --seed are sweep_crash and sweep_seed)
  std::vector<std::string> explore_ops, explore_offsets, explore_lengths, explore_persist;
  std::string explore_depth = "1", explore_sample, explore_confirm = "3", explore_export,
      explore_emit, explore_results;
  bool explore_count = false, explore_resume = false;
  GivenFlags given;
  bool block_size_given = false, jobs_given = false;
  // Where a value came from, for errors: the flag, or fstests' variable.
  std::string mkfs_options_from = "--mkfs-options", mount_options_from = "--mount-options";
  std::string scratch_dev_from = "--scratch-dev", scratch_mnt_from = "--scratch-mnt";
};

}  // namespace eofzero::cli
