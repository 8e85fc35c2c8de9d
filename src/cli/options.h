// Command-line parsing and validation (no I/O besides checking that --workdir
// and --cases-dir exist; case names are matched after the cases are loaded). Every error is one
// line naming the option it is about (or the fstests variable, with --fstests). The scratch device
// itself is checked later, by scratch::CheckScratchTarget.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/fstests_env.h"
#include "engine/scenario.h"
#include "report/format.h"
#include "scratch/fs_type.h"
#include "scratch/scratch_target.h"

namespace eofzero::cli {

struct RunOptions {
  std::vector<scratch::FsType> filesystems = {scratch::FsType::kExt4, scratch::FsType::kXfs};
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
  bool worker = false;           // run as a matrix's worker (os::BecomeWorker)
  // Run on this device (mkfs'd for every configuration) instead of images:
  // --scratch-dev/--scratch-mnt, or SCRATCH_DEV/SCRATCH_MNT with --fstests.
  std::optional<scratch::ScratchTarget> scratch_target;
  // The block size the mkfs options set themselves (ext4 "-b N", xfs
  // "-b size=N"): the only one there is; block_size is then this too.
  std::optional<std::uint32_t> mkfs_block_size;
  std::string mkfs_options_from = "--mkfs-options";  // or "MKFS_OPTIONS"
};

struct MatrixOptions {
  std::filesystem::path config;  // the matrix file; empty: the shipped one
  unsigned jobs = 1;             // configurations run at once
};

enum class Command { kRun, kList, kSelftest, kMatrix, kReport, kCleanup, kHelp };

struct Invocation {
  Command command = Command::kHelp;
  RunOptions run;         // kRun, kSelftest, kMatrix (workdir, cases_dirs, format, output, ...)
  MatrixOptions matrix;   // kMatrix
  std::filesystem::path report_input;  // kReport: a JSON report to render again
  std::string help;       // kHelp
};

// args excludes the program name. The error string is the whole message
// ("--block-size: 3000 is not a power of two from 1024 to 65536"). `env` is
// read only with --fstests.
std::expected<Invocation, std::string> ParseCommandLine(const std::vector<std::string>& args,
                                                        const EnvLookup& env);
// The same, reading the process environment.
std::expected<Invocation, std::string> ParseCommandLine(const std::vector<std::string>& args);

// "512M", "1G", "4096" -> bytes. nullopt on anything else.
std::optional<std::uint64_t> ParseSize(std::string_view text);

}  // namespace eofzero::cli
