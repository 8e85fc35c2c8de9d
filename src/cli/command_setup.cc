#include "cli/command_setup.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <set>
#include <mutex>

#include "cli/case_preflight.h"
#include "cli/data_dir.h"
#include "engine/case_file.h"
#include "os/child.h"
#include "os/interrupt.h"
#include "os/user_files.h"
#include "os/test_hold.h"
#include "scratch/reclaim.h"
#include "scratch/scratch_target.h"
#include "suite/exit_status.h"
#include "suite/run_suite.h"
#include "suite/selftest.h"

namespace eofzero::cli {

int ExitWith(const Stop& stop) {
  std::cerr << "eofzero: " << stop.message << "\n";
  return stop.status;
}

namespace {

// EOFZERO_TEST_HOLD (os/test_hold.h): every message that contains the point's
// text, at any level, holds this process until the test lets it go on.
class TestHoldSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit TestHoldSink(os::HoldPoint point) : point_(std::move(point)) {}

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const std::string_view text(msg.payload.data(), msg.payload.size());
    if (text.find(point_.text) == std::string_view::npos) return;
    // Not through spdlog: this sink is part of it.
    if (auto held = os::HoldAt(point_.socket, text); !held)
      std::cerr << "eofzero: " << os::kTestHoldVariable << ": " << held.error().Message() << "\n";
  }
  void flush_() override {}

 private:
  os::HoldPoint point_;
};

}  // namespace

std::expected<void, Stop> SetUpLogging(int verbosity) {
  const auto level = verbosity >= 2   ? spdlog::level::debug
                     : verbosity == 1 ? spdlog::level::info
                     : verbosity == 0 ? spdlog::level::warn
                                      : spdlog::level::err;
  auto logger = spdlog::stderr_color_mt("eofzero");
  logger->set_pattern("eofzero: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(level);
  const char* hold = std::getenv(os::kTestHoldVariable);
  if (!hold || !*hold) return {};
  auto point = os::ParseHoldPoint(hold);
  if (!point) return std::unexpected(Stop{suite::kExitUsage, point.error().Message()});
  // The hold sees every message; stderr keeps the level -v/-q set.
  logger->sinks().front()->set_level(level);
  logger->sinks().push_back(std::make_shared<TestHoldSink>(std::move(*point)));
  logger->set_level(spdlog::level::trace);
  return {};
}

std::expected<void, Stop> StartPrivileged(int verbosity, const std::string& why, bool reclaim) {
  if (auto ok = SetUpLogging(verbosity); !ok) return ok;
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

std::expected<std::string, Stop> ProbeCaseName(const Catalog& catalog, const std::string& given) {
  if (given.empty()) return std::string(suite::kSelftestProbeCase);
  auto found = engine::SelectCases(catalog.cases, {given});
  if (!found || found->size() != 1 || (*found)[0]->name != given)
    return std::unexpected(Stop{suite::kExitUsage, "--probe-case: '" + given +
                                                      "' is no case of the catalog (see 'eofzero list')"});
  return given;
}

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
