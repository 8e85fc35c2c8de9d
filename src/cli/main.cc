// eofzero's entry point: parse, wire, map outcomes to the exit status.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli/data_dir.h"
#include "cli/options.h"
#include "suite/matrix_run.h"
#include "suite/run_suite.h"
#include "suite/selftest.h"
#include "cli/case_preflight.h"
#include "engine/case_file.h"
#include "os/file_io.h"
#include "os/child.h"
#include "os/interrupt.h"
#include "report/report_output.h"
#include "report/json_report.h"
#include "scratch/run_registry.h"
#include "scratch/scratch_target.h"
#include "suite/exit_status.h"

namespace {

void SetUpLogging(int verbosity) {
  auto logger = spdlog::stderr_color_mt("eofzero");
  logger->set_pattern("eofzero: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(verbosity >= 2   ? spdlog::level::debug
                    : verbosity == 1 ? spdlog::level::info
                    : verbosity == 0 ? spdlog::level::warn
                                     : spdlog::level::err);
}

// What every command that builds filesystems needs first: logging, root
// (else `why` on stderr and false), and signal handlers that unwind. Then
// (unless it is `cleanup` itself) what killed runs left behind is released
// and said on stderr.
bool StartPrivileged(int verbosity, const std::string& why, bool reclaim = true) {
  SetUpLogging(verbosity);
  if (::geteuid() != 0) {
    std::cerr << "eofzero: " << why << "\n";
    return false;
  }
  eofzero::os::InstallInterruptHandlers();
  if (reclaim)
    for (const auto& r : eofzero::scratch::ReclaimLeftovers(eofzero::scratch::RegistryDir()))
      std::cerr << "eofzero: reclaimed: " << eofzero::scratch::Describe(r) << "\n";
  return true;
}

// `eofzero cleanup`: what killed runs left, released; what live runs hold,
// named and left alone.
int Cleanup() {
  using namespace eofzero;
  const auto registry = scratch::RegistryDir();
  const auto reclaimed = scratch::ReclaimLeftovers(registry);
  bool problems = false;
  for (const auto& r : reclaimed) {
    std::cout << "reclaimed: " << scratch::Describe(r) << "\n";
    problems |= !r.problems.empty();
  }
  for (const auto& live : scratch::LiveRuns(registry))
    std::cout << "left alone: run " << live.owner.pid << " is still running"
              << (live.run_dir ? " (in " + live.run_dir->path + ")" : "") << "\n";
  if (reclaimed.empty()) std::cout << "nothing to reclaim (registry: " << registry.string() << ")\n";
  return problems ? suite::kExitToolError : suite::kExitPass;
}

// The shipped catalog (`catalog`) plus the user's folders; a bad file is exit 2.
std::expected<std::vector<eofzero::engine::CaseSpec>, std::string> LoadCases(
    const std::filesystem::path& catalog, const eofzero::suite::RunOptions& options) {
  std::vector<std::filesystem::path> dirs = {catalog};
  dirs.insert(dirs.end(), options.cases_dirs.begin(), options.cases_dirs.end());
  return eofzero::engine::LoadCaseDirs(dirs);
}

// The shipped catalog: $EOFZERO_CASES_DIR or this binary's. Missing, it is
// exit 3 (the installation is broken), not a user's error.
std::expected<std::filesystem::path, std::string> Catalog() {
  auto data = eofzero::cli::DataDirOfThisProgram();
  if (!data) return std::unexpected(data.error());
  return eofzero::cli::FindCatalog(*data, eofzero::cli::ProcessEnv());
}

// The matrix file: --config, else this binary's shipped one (missing: exit 3).
std::expected<std::filesystem::path, std::string> MatrixFile(
    const eofzero::suite::MatrixOptions& matrix) {
  if (!matrix.config.empty()) return matrix.config;
  auto data = eofzero::cli::DataDirOfThisProgram();
  if (!data) return std::unexpected(data.error());
  return eofzero::cli::FindMatrixFile(*data);
}

void ListCases(const std::vector<eofzero::engine::CaseSpec>& cases,
               const std::filesystem::path& catalog, const eofzero::suite::RunOptions& options) {
  for (const auto& c : cases) {
    std::string needs;
    for (auto fs : c.filesystems) needs += (needs.empty() ? "" : ",") + std::string(eofzero::scratch::FsTypeName(fs));
    if (c.block_size) needs += (needs.empty() ? "" : " ") + std::string("bs=") + std::to_string(*c.block_size);
    std::cout << (c.in_default_suite ? "* " : "  ") << c.name
              << std::string(c.name.size() < 30 ? 30 - c.name.size() : 1, ' ')
              << (needs.empty() ? "" : "[" + needs + "] ") << c.purpose << "\n";
  }
  std::cout << "(* the default suite; " << cases.size() << " cases)\n";
  std::cout << "(catalog: " << catalog.string();
  for (const auto& dir : options.cases_dirs) std::cout << "; --cases-dir " << dir.string();
  std::cout << ")\n";
}

// `eofzero report FILE.json`: the same results in another format.
int RenderReport(const eofzero::cli::Invocation& inv) {
  using namespace eofzero;
  auto record = report::LoadJsonReport(inv.report_input);
  if (!record) {
    // (A file that cannot be read reads as no JSON.)
    const auto& e = record.error();
    std::cerr << "eofzero: " << inv.report_input.string() << ": "
              << (e.kind == report::JsonReportError::Kind::kNotAReport ? e.message : "not JSON")
              << "\n";
    return suite::kExitUsage;
  }
  auto written = report::WriteReport(report::RenderRecord(*record, inv.run.format), inv.run.output,
                                  std::cout);
  if (!written) {
    std::cerr << "eofzero: " << written.error() << "\n";
    return suite::kExitToolError;
  }
  return suite::kExitPass;
}

}  // namespace

static int Main(int argc, char** argv) {
  using namespace eofzero;
  std::vector<std::string> args(argv + 1, argv + argc);
  auto invocation = cli::ParseCommandLine(args);
  if (!invocation) {
    std::cerr << "eofzero: " << invocation.error() << "\n";
    return suite::kExitUsage;
  }
  switch (invocation->command) {
    case cli::Command::kHelp:
      std::cout << invocation->help;
      return args.empty() ? suite::kExitUsage : suite::kExitPass;
    case cli::Command::kReport:
      return RenderReport(*invocation);
    case cli::Command::kCleanup:
      if (!StartPrivileged(invocation->run.verbosity, "cleanup needs root (umount, loop devices)",
                           false))
        return suite::kExitToolError;
      return Cleanup();
    case cli::Command::kList:
    case cli::Command::kRun:
    case cli::Command::kSelftest:
    case cli::Command::kMatrix:
      break;
  }
  auto catalog = Catalog();
  if (!catalog) {
    std::cerr << "eofzero: " << catalog.error() << "\n";
    return suite::kExitToolError;
  }
  auto cases = LoadCases(*catalog, invocation->run);
  if (!cases) {
    std::cerr << "eofzero: " << cases.error() << "\n";
    return suite::kExitUsage;
  }
  if (invocation->command == cli::Command::kList) {
    // Every case, checked as `run` with the same options would check it.
    if (auto ok = cli::PreflightCases(invocation->run, cli::Pointers(*cases)); !ok) {
      std::cerr << "eofzero: " << ok.error() << "\n";
      return suite::kExitUsage;
    }
    ListCases(*cases, *catalog, invocation->run);
    return suite::kExitPass;
  }
  const bool interactive = ::isatty(STDOUT_FILENO) == 1;
  if (invocation->command == cli::Command::kMatrix) {
    auto config = MatrixFile(invocation->matrix);
    if (!config) {
      std::cerr << "eofzero: " << config.error() << "\n";
      return suite::kExitToolError;
    }
    auto jobs = suite::PlanMatrix(*config, *cases);
    if (!jobs) {
      std::cerr << "eofzero: " << jobs.error() << "\n";
      return suite::kExitUsage;
    }
    if (auto ok = cli::PreflightMatrix(*jobs, *cases); !ok) {
      std::cerr << "eofzero: " << ok.error() << "\n";
      return suite::kExitUsage;
    }
    if (!StartPrivileged(invocation->run.verbosity, "matrix needs root (its workers build "
                                                    "scratch filesystems)"))
      return suite::kExitToolError;
    const unsigned parallel = invocation->matrix.jobs;
    report::MatrixOutput output(invocation->run.format, invocation->run.output, std::cout,
                                interactive);
    auto record = suite::RunMatrix(*jobs, invocation->run, parallel, output.reporter());
    if (!record) {
      std::cerr << "eofzero: matrix: " << record.error().Message() << "\n";
      return suite::kExitToolError;
    }
    if (auto written = output.Write(*record, jobs->size(), parallel); !written) {
      std::cerr << "eofzero: " << written.error() << "\n";
      return suite::kExitToolError;
    }
    if (os::InterruptRequested()) return suite::ExitStatusFor({}, os::InterruptSignal());
    return suite::MatrixExitStatus(*record);
  }
  const bool selftest = invocation->command == cli::Command::kSelftest;
  auto selected = engine::SelectCases(*cases, selftest ? std::vector<std::string>{"truncate_up"}
                                                       : invocation->run.cases);
  if (!selected) {
    std::cerr << "eofzero: " << selected.error() << "\n";
    return suite::kExitUsage;
  }
  if (auto ok = cli::PreflightCases(invocation->run, *selected); !ok) {
    std::cerr << "eofzero: " << ok.error() << "\n";
    return suite::kExitUsage;
  }
  if (!StartPrivileged(invocation->run.verbosity,
                       std::string(selftest ? "selftest" : "run") +
                           " needs root (loop devices, mkfs, mount, raw device writes)"))
    return suite::kExitToolError;
  // A scratch device that may not be used is refused before it is touched:
  // exit 2, like any other bad input. (Who uses a device takes root to see.)
  if (const auto& target = invocation->run.scratch_target) {
    if (auto ok = scratch::CheckScratchTarget(*target); !ok) {
      std::cerr << "eofzero: " << ok.error().Message() << "\n";
      return suite::kExitUsage;
    }
  }
  if (invocation->run.worker) {
    if (auto ok = os::BecomeWorker(); !ok) {
      std::cerr << "eofzero: worker: " << ok.error().Message() << "\n";
      return suite::kExitToolError;
    }
  }
  if (selftest) {
    report::SelftestTextReporter reporter(std::cout);
    auto r = suite::RunSelftest(invocation->run, *selected->front(), reporter);
    if (os::InterruptRequested()) return suite::ExitStatusFor({}, os::InterruptSignal());
    return r.all_detected ? suite::kExitPass : r.setup_failed ? suite::kExitToolError : suite::kExitFail;
  }
  report::ReportOutput output(invocation->run.format, invocation->run.output, std::cout,
                             interactive);
  auto outcomes = suite::RunSuite(invocation->run, *selected, output.reporter());
  if (auto written = output.Write(); !written) {
    std::cerr << "eofzero: " << written.error() << "\n";
    return suite::kExitToolError;
  }
  if (os::InterruptRequested())
    std::cerr << "eofzero: " << report::Interruption(os::InterruptSignal())
              << "; everything this run created was released\n";
  return suite::ExitStatusFor(outcomes, os::InterruptSignal());
}

// Whatever a command throws (std::bad_alloc, a library's exception) unwinds
// the whole stack here, so every mount, loop device and image is released by
// its owner, and is exit 3: never an abort.
int main(int argc, char** argv) {
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "eofzero: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "eofzero: internal error: an unknown exception\n";
  }
  return eofzero::suite::kExitToolError;
}
