// The options each subcommand takes, in groups several share; the command
// table (commands.cc) names one adder per subcommand. The order they are
// added in is the order --help lists them.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/raw_options.h"

namespace eofzero::cli {

// Which scratch filesystems to build (run and selftest), and diagnostics.
void AddConfigOptions(CLI::App& app, RawOptions& raw);
// Where the results go (run, matrix, report).
void AddReportOptions(CLI::App& app, RawOptions& raw);
// Which cases (run).
void AddCaseOptions(CLI::App& app, RawOptions& raw);

// One per subcommand.
void AddRunOptions(CLI::App& app, RawOptions& raw);  // in options.cc, with --inject-fault
void AddListOptions(CLI::App& app, RawOptions& raw);
void AddSelftestOptions(CLI::App& app, RawOptions& raw);
void AddMatrixOptions(CLI::App& app, RawOptions& raw);
void AddCleanupOptions(CLI::App& app, RawOptions& raw);
void AddReportCommandOptions(CLI::App& app, RawOptions& raw);
// run --record DIR; `eofzero log show LOG`, `eofzero log replay LOG --state S
// --image OUT` (show and replay are subcommands of log, each with its help).
void AddRecordOption(CLI::App& app, RawOptions& raw);
void AddLogOptions(CLI::App& app, RawOptions& raw);
void AddSweepOptions(CLI::App& app, RawOptions& raw);
void AddExploreOptions(CLI::App& app, RawOptions& raw);
void AddKernelsOptions(CLI::App& app, RawOptions& raw);  // in kernels_options.cc
void AddVersionOptions(CLI::App& app, RawOptions& raw);
// `eofzero export REPORT.json [--case NAME,...] --output-dir DIR`.
void AddExportOptions(CLI::App& app, RawOptions& raw);
// `eofzero generate man|bash-completion` (hidden: the build runs it).
void AddGenerateOptions(CLI::App& app, RawOptions& raw);

}  // namespace eofzero::cli
