#include "cli/command_setup.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>
#include <set>

#include "cli/case_preflight.h"
#include "cli/data_dir.h"
#include "engine/case_file.h"
#include "os/child.h"
#include "os/interrupt.h"
#include "os/user_files.h"
#include "scratch/reclaim.h"
#include "scratch/scratch_target.h"
#include "suite/exit_status.h"
#include "suite/run_suite.h"

namespace eofzero::cli {

int ExitWith(const Stop& stop) {
  std::cerr << "eofzero: " << stop.message << "\n";
  return stop.status;
}

void SetUpLogging(int verbosity) {
  auto logger = spdlog::stderr_color_mt("eofzero");
  logger->set_pattern("eofzero: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(verbosity >= 2   ? spdlog::level::debug
                    : verbosity == 1 ? spdlog::level::info
                    : verbosity == 0 ? spdlog::level::warn
                                     : spdlog::level::err);
}

std::expected<void, Stop> StartPrivileged(int verbosity, const std::string& why, bool reclaim) {
  SetUpLogging(verbosity);
  if (::geteuid() != 0) return std::unexpected(Stop{suite::kExitToolError, why});
  os::InstallInterruptHandlers();
  if (reclaim)
    for (const auto& r : scratch::ReclaimLeftovers(scratch::RegistryDir()))
      std::cerr << "eofzero: reclaimed: " << scratch::Describe(r) << "\n";
  return {};
}

std::expected<Catalog, Stop> LoadCatalog(const suite::RunOptions& options) {
  // Missing, the catalog is exit 3 (the installation is broken), not a user's error.
  auto data = DataDirOfThisProgram();
  if (!data) return std::unexpected(Stop{suite::kExitToolError, data.error()});
  auto dir = FindCatalog(*data, ProcessEnv());
  if (!dir) return std::unexpected(Stop{suite::kExitToolError, dir.error()});
  std::vector<std::filesystem::path> dirs = {*dir};
  dirs.insert(dirs.end(), options.cases_dirs.begin(), options.cases_dirs.end());
  auto cases = engine::LoadCaseDirs(dirs);
  if (!cases) return std::unexpected(Stop{suite::kExitUsage, cases.error()});
  return Catalog{*dir, std::move(*cases)};
}

std::expected<std::filesystem::path, Stop> MatrixFile(const suite::MatrixOptions& matrix) {
  if (!matrix.config.empty()) return matrix.config;
  auto data = DataDirOfThisProgram();
  if (!data) return std::unexpected(Stop{suite::kExitToolError, data.error()});
  auto file = FindMatrixFile(*data);
  if (!file) return std::unexpected(Stop{suite::kExitToolError, file.error()});
  return *file;
}

namespace {

// --record DIR: every log the selected cases will write there (one per
// filesystem and block size) can be written: none is a FIFO, a device, a
// symbolic link or a file with another name.
std::expected<void, Stop> CheckRecordLogs(const suite::RunOptions& options,
                                          const std::vector<const engine::CaseSpec*>& cases) {
  std::error_code ec;
  if (options.record_dir.empty() || !std::filesystem::exists(options.record_dir, ec)) return {};
  std::set<std::uint32_t> block_sizes;
  for (const auto* c : cases) block_sizes.insert(c->block_size.value_or(options.block_size));
  for (auto fs : options.filesystems)
    for (std::uint32_t bs : block_sizes)
      if (auto ok = os::CheckOutputFile(suite::RecordLogPath(options.record_dir, fs, bs)); !ok)
        return std::unexpected(Stop{
            ok.error().kind == os::ErrorKind::kInvalid ? suite::kExitUsage : suite::kExitToolError,
            "--record: " + ok.error().Message()});
  return {};
}

}  // namespace

std::expected<std::vector<const engine::CaseSpec*>, Stop> PrepareSuite(
    const suite::RunOptions& options, const Catalog& catalog, const std::vector<std::string>& globs,
    const std::string& command) {
  auto selected = engine::SelectCases(catalog.cases, globs);
  if (!selected) return std::unexpected(Stop{suite::kExitUsage, selected.error()});
  if (auto ok = PreflightCases(options, *selected); !ok)
    return std::unexpected(Stop{suite::kExitUsage, ok.error()});
  if (auto ok = CheckRecordLogs(options, *selected); !ok) return std::unexpected(ok.error());
  if (auto ok =
          StartPrivileged(options.verbosity,
                          command + " needs root (loop devices, mkfs, mount, raw device writes)");
      !ok)
    return std::unexpected(ok.error());
  // A scratch device that may not be used is refused before it is touched:
  // exit 2, like any other bad input. (Who uses a device takes root to see.)
  if (const auto& target = options.scratch_target) {
    if (auto ok = scratch::CheckScratchTarget(*target); !ok)
      return std::unexpected(Stop{suite::kExitUsage, ok.error().Message()});
  }
  if (!options.record_dir.empty()) {  // the last check passed: now it may be made
    if (auto made = os::MakeDirectory(options.record_dir); !made)
      return std::unexpected(Stop{
          made.error().kind == os::ErrorKind::kInvalid ? suite::kExitUsage : suite::kExitToolError,
          "--record: " + made.error().Message()});
  }
  if (options.worker) {
    if (auto ok = os::BecomeWorker(); !ok)
      return std::unexpected(Stop{suite::kExitToolError, "worker: " + ok.error().Message()});
  }
  return std::move(*selected);
}

}  // namespace eofzero::cli
