// eofzero's command line as plain data, read from the CLI11 app
// BuildCommandLine makes: each visible subcommand (nested ones included),
// its positionals and options with their value kinds. The man page
// (manual.h) and the bash completion (completion.h) are rendered from it,
// so neither can list an option the parser does not take.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace eofzero::cli {

struct OptionModel {
  std::vector<std::string> names;  // "-v", "--verbose"
  std::string value;               // its value's kind ("FS"); empty for a flag
  bool list = false;               // comma separated values
  bool repeatable = false;         // takes several values (--merge A B)
  std::string help;
};

struct PositionalModel {
  std::string name;   // CLI11's ("json")
  std::string value;  // its kind ("JSON")
  std::string help;
};

struct CommandModel {
  std::vector<std::string> path;  // {"eofzero", "log", "show"}
  std::string help;
  std::vector<PositionalModel> positionals;
  std::vector<OptionModel> options;  // --help left out: every command takes it
  std::vector<CommandModel> subcommands;
  // "eofzero log show LOG", "eofzero run [OPTIONS]", "eofzero log COMMAND".
  std::string Usage() const;
  std::string Name() const;  // "log show": the path without the program
};

// `app` (the root: BuildCommandLine's) and everything under it that is not
// hidden; the root's --version is among its options.
CommandModel ModelOf(const CLI::App& app);

}  // namespace eofzero::cli
