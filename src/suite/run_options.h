// What a run of cases, a self-test or a matrix is asked to do: plain
// structs with defaults, filled by the command line (cli/options.h) and read
// by the runners (run_suite.h, selftest.h, matrix_run.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "engine/scenario.h"
#include "guest/kernel_spec.h"
#include "os/fuse_file_server.h"
#include "report/format.h"
#include "fsdriver/registry.h"
#include "scratch/scratch_target.h"
#include "suite/crash_state_check.h"

namespace eofzero::suite {

struct RunOptions {
  std::vector<fsdriver::FsType> filesystems = fsdriver::DefaultFsTypes();
  std::vector<std::string> cases;  // shell globs over case names; empty: the default suite
  // Folders of case files added to the shipped catalog (--cases-dir).
  std::vector<std::filesystem::path> cases_dirs;
  std::string mkfs_options;
  std::string mount_options;
  std::uint32_t block_size = 4096;
  std::uint64_t image_bytes = 0;  // 0: per-filesystem default
  std::filesystem::path workdir;
  bool keep = false;
  int verbosity = 0;  // -v adds one, -q subtracts one
  engine::ScenarioOptions scenario;
  report::ReportFormat format = report::ReportFormat::kHuman;
  std::filesystem::path output;  // empty: the report goes to stdout
  std::string config_name;       // a matrix worker's configuration name
  // selftest: the case the controls run on (--probe-case; empty: kSelftestProbeCase).
  std::string probe_case;
  bool worker = false;           // run as a matrix's worker (os::BecomeWorker)
  // Run on this device (mkfs'd for every configuration) instead of images:
  // --scratch-dev/--scratch-mnt, or SCRATCH_DEV/SCRATCH_MNT with --fstests.
  std::optional<scratch::ScratchTarget> scratch_target;
  // The block size the mkfs options set themselves (ext4 "-b N", xfs
  // "-b size=N"): the only one there is; block_size is then this too.
  std::optional<std::uint32_t> mkfs_block_size;
  std::string mkfs_options_from = "--mkfs-options";  // or "MKFS_OPTIONS"
  // --record DIR: each configuration's scratch filesystem records its block
  // writes into DIR/FS-BS.ezlog (scratch/recording_device.h). Empty: none.
  std::filesystem::path record_dir;
  // --server-timeout: how long a FUSE server under a loop device may leave a
  // request unanswered before its connection is aborted (scratch::ScratchSpec).
  std::chrono::milliseconds server_timeout = os::kDefaultAnswerDeadline;
  // --crash-states (needs --record): every crash state each case's crash
  // implies is checked after its configuration (suite/crash_state_check.h).
  CrashStatesOptions crash_states;
};

// `eofzero kernels`: which kernels, which slice of them, and how their
// guests run (the cases and filesystems are RunOptions').
struct KernelsOptions {
  std::vector<guest::KernelSpec> kernels;  // --kernel, in order
  guest::Shard shard;                      // --shard K/M (1/1: all)
  unsigned jobs = 1;                       // guests at once (-j; default: online CPUs)
  std::uint32_t timeout_seconds = 900;     // per guest: boot and run (--timeout)
  std::string append;                      // extra kernel command-line words
  std::filesystem::path cache_dir;         // empty: $EOFZERO_KERNEL_CACHE or the default
  bool selftest = false;  // --selftest: `eofzero selftest` in each guest instead of the cases
};

struct MatrixOptions {
  std::filesystem::path config;  // the matrix file; empty: the shipped one
  unsigned jobs = 1;             // configurations run at once
};

}  // namespace eofzero::suite
