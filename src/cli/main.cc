// eofzero's entry point: parse, wire, map outcomes to the exit status.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>
#include <memory>

#include "cli/exit_status.h"
#include "cli/options.h"
#include "cli/run_command.h"
#include "cli/selftest_command.h"
#include "engine/case_check.h"
#include "engine/case_file.h"
#include "os/file_io.h"
#include "os/interrupt.h"
#include "report/fstests_reporter.h"
#include "report/human_reporter.h"
#include "scratch/scratch_target.h"

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

// The shipped catalog plus the user's folders; a bad file is exit 2.
std::expected<std::vector<eofzero::engine::CaseSpec>, std::string> LoadCases(
    const eofzero::cli::RunOptions& options) {
  std::vector<std::filesystem::path> dirs = {eofzero::engine::DefaultCasesDir()};
  dirs.insert(dirs.end(), options.cases_dirs.begin(), options.cases_dirs.end());
  return eofzero::engine::LoadCaseDirs(dirs);
}

void ListCases(const std::vector<eofzero::engine::CaseSpec>& cases) {
  for (const auto& c : cases) {
    std::string needs;
    for (auto fs : c.filesystems) needs += (needs.empty() ? "" : ",") + std::string(eofzero::scratch::FsTypeName(fs));
    if (c.block_size) needs += (needs.empty() ? "" : " ") + std::string("bs=") + std::to_string(*c.block_size);
    std::cout << (c.in_default_suite ? "* " : "  ") << c.name
              << std::string(c.name.size() < 30 ? 30 - c.name.size() : 1, ' ')
              << (needs.empty() ? "" : "[" + needs + "] ") << c.purpose << "\n";
  }
  std::cout << "(* the default suite; " << cases.size() << " cases)\n";
}

// The reporter for --format (validated by the option parser).
std::unique_ptr<eofzero::report::Reporter> MakeReporter(const std::string& format) {
  if (format == "fstests") return std::make_unique<eofzero::report::FstestsReporter>(std::cout);
  return std::make_unique<eofzero::report::HumanReporter>(std::cout);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace eofzero;
  std::vector<std::string> args(argv + 1, argv + argc);
  auto invocation = cli::ParseCommandLine(args);
  if (!invocation) {
    std::cerr << "eofzero: " << invocation.error() << "\n";
    return cli::kExitUsage;
  }
  switch (invocation->command) {
    case cli::Command::kHelp:
      std::cout << invocation->help;
      return args.empty() ? cli::kExitUsage : cli::kExitPass;
    case cli::Command::kList:
    case cli::Command::kRun:
    case cli::Command::kSelftest:
      break;
  }
  auto cases = LoadCases(invocation->run);
  if (!cases) {
    std::cerr << "eofzero: " << cases.error() << "\n";
    return cli::kExitUsage;
  }
  if (invocation->command == cli::Command::kList) {
    ListCases(*cases);
    return cli::kExitPass;
  }
  const bool selftest = invocation->command == cli::Command::kSelftest;
  auto selected = engine::SelectCases(*cases, selftest ? std::vector<std::string>{"truncate_up"}
                                                       : invocation->run.cases);
  if (!selected) {
    std::cerr << "eofzero: " << selected.error() << "\n";
    return cli::kExitUsage;
  }
  for (const auto* c : *selected) {
    const auto& o = invocation->run;
    auto ok = engine::PreflightCase(*c, c->block_size.value_or(o.block_size), os::PageSize(),
                                    o.scenario.gap_bytes);
    if (!ok) {
      std::cerr << "eofzero: " << ok.error() << "\n";
      return cli::kExitUsage;
    }
  }
  // A scratch device that may not be used is refused before anything is
  // touched: exit 2, like any other bad input.
  if (const auto& target = invocation->run.scratch_target) {
    if (auto ok = scratch::CheckScratchTarget(*target); !ok) {
      std::cerr << "eofzero: " << ok.error().Message() << "\n";
      return cli::kExitUsage;
    }
  }
  SetUpLogging(invocation->run.verbosity);
  if (::geteuid() != 0) {
    std::cerr << "eofzero: run needs root (loop devices, mkfs, mount, raw device writes)\n";
    return cli::kExitToolError;
  }
  os::InstallInterruptHandlers();
  if (selftest) {
    auto r = cli::RunSelftest(invocation->run, *selected->front(), std::cout);
    if (os::InterruptRequested()) return cli::ExitStatusFor({}, os::InterruptSignal());
    return r.all_detected ? cli::kExitPass : r.setup_failed ? cli::kExitToolError : cli::kExitFail;
  }
  auto reporter = MakeReporter(invocation->run.format);
  auto outcomes = cli::RunSuite(invocation->run, *selected, *reporter);
  if (os::InterruptRequested())
    std::cerr << "eofzero: interrupted by signal " << os::InterruptSignal()
              << "; everything this run created was released\n";
  return cli::ExitStatusFor(outcomes, os::InterruptSignal());
}
