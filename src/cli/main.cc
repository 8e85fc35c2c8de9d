// eofzero's entry point: parse, wire, map outcomes to the exit status.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <iostream>

#include "cli/exit_status.h"
#include "cli/options.h"
#include "cli/run_command.h"
#include "engine/case_spec.h"
#include "os/interrupt.h"
#include "report/human_reporter.h"

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

void ListCases() {
  for (const auto& c : eofzero::engine::BuiltinCases())
    std::cout << c.name << std::string(c.name.size() < 16 ? 16 - c.name.size() : 1, ' ')
              << c.purpose << "\n";
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
      ListCases();
      return cli::kExitPass;
    case cli::Command::kRun:
      break;
  }
  SetUpLogging(invocation->run.verbosity);
  if (::geteuid() != 0) {
    std::cerr << "eofzero: run needs root (loop devices, mkfs, mount, raw device writes)\n";
    return cli::kExitToolError;
  }
  os::InstallInterruptHandlers();
  report::HumanReporter reporter(std::cout);
  auto outcomes = cli::RunSuite(invocation->run, reporter);
  if (os::InterruptRequested())
    std::cerr << "eofzero: interrupted by signal " << os::InterruptSignal()
              << "; everything this run created was released\n";
  return cli::ExitStatusFor(outcomes, os::InterruptSignal());
}
