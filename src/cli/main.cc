// eofzero's entry point: parse the command line, run the subcommand it
// names (commands.h), and map what escapes to the exit status.
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/options.h"
#include "suite/exit_status.h"

namespace {

int Main(int argc, char** argv) {
  using namespace eofzero;
  std::vector<std::string> args(argv + 1, argv + argc);
  auto invocation = cli::ParseCommandLine(args);
  if (!invocation) {
    std::cerr << "eofzero: " << invocation.error() << "\n";
    return suite::kExitUsage;
  }
  const cli::Subcommand* command = cli::FindSubcommand(invocation->command);
  if (!command) {  // --help, or no subcommand
    std::cout << invocation->help;
    return args.empty() ? suite::kExitUsage : suite::kExitPass;
  }
  return command->run(*invocation);
}

}  // namespace

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
