// The subcommands, as one table: each one's name and help line, the options
// it takes, and the function that runs it once its options are valid.
// ParseCommandLine builds the command line from the table; main runs the
// entry the invocation names. Each run function only wires: it loads what
// the command needs, hands it to the suite and report layers, and returns
// the exit status (suite/exit_status.h).
#pragma once

#include <CLI/CLI.hpp>
#include <span>

#include "cli/options.h"
#include "cli/raw_options.h"

namespace eofzero::cli {

struct Subcommand {
  Command command;
  const char* name;
  const char* help;
  void (*add_options)(CLI::App& app, RawOptions& raw);
  int (*run)(const Invocation& invocation);
};

// In the order `eofzero --help` lists them.
std::span<const Subcommand> Subcommands();
// The entry of `command` (not kHelp), or nullptr.
const Subcommand* FindSubcommand(Command command);

// The run functions (run_command.cc, list_command.cc, ...).
int RunCommand(const Invocation& invocation);
int ListCommand(const Invocation& invocation);
int SelftestCommand(const Invocation& invocation);
int MatrixCommand(const Invocation& invocation);
int CleanupCommand(const Invocation& invocation);
int ReportCommand(const Invocation& invocation);
int LogCommand(const Invocation& invocation);
int SweepCommand(const Invocation& invocation);
int KernelsCommand(const Invocation& invocation);

}  // namespace eofzero::cli
