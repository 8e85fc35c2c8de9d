// Validation of the typed options, one concern per function (and file);
// ParseCommandLine calls them in a fixed order, so that of two mistakes the
// same one is always named. Each fills its part of the options, or returns
// the one-line error (naming the option, or fstests' variable). No I/O but
// checking that the folders and files named exist.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "cli/raw_options.h"
#include "suite/run_options.h"
#include "suite/explore_plan.h"
#include "suite/sweep_plan.h"

namespace eofzero::cli {

// A whole number for `option` ("--gap: 'x' is not a whole number").
std::expected<std::uint32_t, std::string> ParseU32(const std::string& option,
                                                   const std::string& text);

// validate_config.cc: which scratch filesystems, and where.
// --fs: known, none twice, at least one.
std::expected<void, std::string> ValidateFilesystems(const RawOptions& raw, suite::RunOptions& o);
// --case (matched later, against the catalog) and --cases-dir (folders).
std::expected<void, std::string> ValidateCaseOptions(const RawOptions& raw, suite::RunOptions& o);
// --block-size: a power of two from 1024 to 65536.
std::expected<void, std::string> ValidateBlockSize(const RawOptions& raw, suite::RunOptions& o);
// --image-size: a size each filesystem can be made in (after the block size).
std::expected<void, std::string> ValidateImageSize(const RawOptions& raw, suite::RunOptions& o);
// --workdir (default $TMPDIR, else /var/tmp): a folder.
std::expected<void, std::string> ValidateWorkdir(const RawOptions& raw, suite::RunOptions& o);
// The rest as given: mkfs and mount options, --keep, -v/-q, a worker's name.
void CopyConfigOptions(const RawOptions& raw, suite::RunOptions& o);

// validate_target.cc: the user's scratch device (--scratch-dev and
// --scratch-mnt, or fstests' SCRATCH_DEV and SCRATCH_MNT), the mkfs and
// mount options eofzero refuses, and a block size the mkfs options set
// (which then is the run's; after --fs and --block-size).
std::expected<void, std::string> ValidateScratchTarget(const RawOptions& raw, suite::RunOptions& o);

// validate_report.cc: --format (fstests only for `run`, and only to
// stdout) and --output (a file in an existing folder).
std::expected<void, std::string> ValidateReportOptions(const RawOptions& raw, bool run_command,
                                                       suite::RunOptions& o);

// validate_matrix.cc: --config (a file) and -j (1 to 64; default one per
// CPU, at most 64).
std::expected<suite::MatrixOptions, std::string> ValidateMatrixOptions(const RawOptions& raw);
// validate_record.cc: --record DIR (a folder; images only, not with a
// scratch device), and `eofzero log`'s action, file, --state and --image.
std::expected<void, std::string> ValidateRecord(const RawOptions& raw, suite::RunOptions& o);
struct LogOptions;
std::expected<LogOptions, std::string> ValidateLogOptions(const RawOptions& raw);
// validate_sweep.cc: --sync, --crash, --distance (names from
// suite/sweep_plan.h, comma separated), --points all|last|LINE,
// --iterations (1 to 1000), --seed.
std::expected<suite::SweepOptions, std::string> ValidateSweepOptions(const RawOptions& raw);
// A list option's names, each one of `known` (in the order given, each
// once; all of `known` when none is given), or "FLAG: 'x' is not one of
// a, b, c" (validate_sweep.cc).
std::expected<std::vector<std::string>, std::string> KnownNames(
    const std::vector<std::string>& given, std::span<const char* const> known, const char* flag);
// A whole number from lo to hi, or "FLAG: 'x' is not a number from lo to hi".
std::expected<std::uint64_t, std::string> NumberIn(const std::string& text, const char* flag,
                                                   std::uint64_t lo, std::uint64_t hi);
// A worker's hidden --worker-slice K/N (sweep -j, explore -j: 1 <= K <= N
// <= 64), which needs its file (`file_flag`, given when `with_file`), or
// "--worker-slice: 'TEXT' is not K/N with FILE_FLAG" (validate_sweep.cc).
std::expected<suite::SweepSlice, std::string> ParseWorkerSlice(const std::string& text,
                                                               bool with_file,
                                                               const char* file_flag);
// validate_explore.cc: --depth, --ops, --offsets, --lengths, --persist,
// --crash (names from explore/space.h and workload.h), --sample, --seed,
// --confirm, --export DIR (a folder, made if missing; its own folder must be).
std::expected<suite::ExploreOptions, std::string> ValidateExploreOptions(const RawOptions& raw);
// validate_kernels.cc: --kernel (each a suite, package, .deb or bzImage),
// --shard K/M, -j (1 to 64, default 1), --timeout (seconds), --append.
std::expected<suite::KernelsOptions, std::string> ValidateKernelsOptions(const RawOptions& raw);
// `eofzero report --merge FILE...`: files.
std::expected<std::vector<std::filesystem::path>, std::string> ValidateReportMerge(
    const RawOptions& raw);

// validate_export.cc: `eofzero export FILE --output-dir DIR`: the report is
// a file; DIR's folder exists and DIR, if it exists, is a directory.
struct ExportPaths {
  std::filesystem::path report, dir;
};
std::expected<ExportPaths, std::string> ValidateExportOptions(const RawOptions& raw);

// `eofzero report FILE`: a file.
std::expected<std::filesystem::path, std::string> ValidateReportInput(const RawOptions& raw);

}  // namespace eofzero::cli
