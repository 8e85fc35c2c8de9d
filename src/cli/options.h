// Command-line parsing and validation (no I/O besides checking that --workdir
// and --cases-dir exist; case names are matched after the cases are loaded).
// The subcommands and their options come from one table (commands.h), the
// checks from validate.h, one concern each. Every error is one line naming
// the option it is about (or the fstests variable, with --fstests). The
// scratch device itself is checked later, by scratch::CheckScratchTarget.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/fstests_env.h"
#include "suite/run_options.h"
#include "suite/explore_plan.h"
#include "suite/sweep_plan.h"

namespace eofzero::cli {

enum class Command {
  kRun,
  kList,
  kSelftest,
  kMatrix,
  kReport,
  kCleanup,
  kLog,
  kKernels,
  kSweep,
  kExplore,
  kVersion,
  kGenerate,
  kExport,
  kHelp
};

// `eofzero log show LOG`, `eofzero log replay LOG --state S --image OUT`.
struct LogOptions {
  std::string action;  // "show" or "replay"
  std::filesystem::path log;
  std::string state;  // replay: a scratch::StateAddress, checked
  std::filesystem::path image;
};

struct Invocation {
  Command command = Command::kHelp;
  suite::RunOptions run;  // kRun, kSelftest, kMatrix (workdir, cases_dirs, format, output, ...)
  suite::MatrixOptions matrix;         // kMatrix
  std::filesystem::path report_input;  // kReport: a JSON report to render again
  bool list_steps = false;             // kList: the step table instead of the cases
  bool list_names = false;             // kList: the case names only, one a line
  suite::SweepOptions sweep;           // kSweep
  suite::ExploreOptions explore;       // kExplore
  LogOptions log;                      // kLog
  std::vector<std::filesystem::path> report_merge;  // kReport --merge: shards' reports to join
  suite::KernelsOptions kernels;                    // kKernels
  std::string generate;                // kGenerate: "man" or "bash-completion"
  // kExport: the report, the cases to export (run.cases: names), the folder.
  std::filesystem::path export_input;
  std::filesystem::path export_dir;
  std::string help;                    // kHelp (or --version's line)
  // The command line as given, without the program (`sweep -j` gives it to
  // its workers).
  std::vector<std::string> args;
};

// args excludes the program name. The error string is the whole message
// ("--block-size: 3000 is not a power of two from 1024 to 65536"). `env` is
// read only with --fstests.
std::expected<Invocation, std::string> ParseCommandLine(const std::vector<std::string>& args,
                                                        const EnvLookup& env);
// The same, reading the process environment.
std::expected<Invocation, std::string> ParseCommandLine(const std::vector<std::string>& args);

// "512M", "1G", "4096" -> bytes. nullopt on anything else.
std::optional<std::uint64_t> ParseSize(std::string_view text);

}  // namespace eofzero::cli
