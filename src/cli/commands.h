// The subcommands, as one table: each one's name and help line, the options
// it takes, and the function that runs it once its options are valid.
// BuildCommandLine makes the command line from the table, for the parser
// (ParseCommandLine), the man page and the bash completion alike; main runs
// the entry the invocation names. Each run function only wires: it loads
// what the command needs, hands it to the suite and report layers, and
// returns the exit status (suite/exit_status.h).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "cli/options.h"
#include "cli/raw_options.h"

namespace eofzero::cli {

struct Subcommand {
  Command command;
  const char* name;
  const char* help;
  void (*add_options)(CLI::App& app, RawOptions& raw);
  int (*run)(const Invocation& invocation);
  bool hidden = false;  // not in --help, the man page or the completion (for the build)
};

// In the order `eofzero --help` lists them.
std::span<const Subcommand> Subcommands();
// The entry of `command` (not kHelp), or nullptr.
const Subcommand* FindSubcommand(Command command);

// eofzero's whole command line: --help and --version, every subcommand of
// the table with its options (filling `raw` when parsed), each value's kind
// named (value_kinds.h). `subcommands` gets each entry's app, in table order.
using SubcommandApps = std::vector<std::pair<CLI::App*, const Subcommand*>>;
std::unique_ptr<CLI::App> BuildCommandLine(RawOptions& raw, SubcommandApps* subcommands = nullptr);

// The run functions (run_command.cc, list_command.cc, ...).
int RunCommand(const Invocation& invocation);
int ListCommand(const Invocation& invocation);
int SelftestCommand(const Invocation& invocation);
int MatrixCommand(const Invocation& invocation);
int CleanupCommand(const Invocation& invocation);
int ReportCommand(const Invocation& invocation);
int LogCommand(const Invocation& invocation);
int SweepCommand(const Invocation& invocation);
int ExploreCommand(const Invocation& invocation);
int KernelsCommand(const Invocation& invocation);
int VersionCommand(const Invocation& invocation);
int GenerateCommand(const Invocation& invocation);
int ExportCommand(const Invocation& invocation);

}  // namespace eofzero::cli
