// The command lines of a command split over N worker processes, a slice
// each (`sweep -j`, `explore -j`): each worker is this binary again on the
// parent's own command line, less what only the parent does, with the
// hidden --worker-slice K/N and the files of its own.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "suite/worker_pool.h"

namespace eofzero::suite {

struct SliceSplit {
  std::string command;  // "sweep": names the workers in the log line each start gets
  // Options of the parent's that no worker gets: with their value (`--opt V`
  // or `--opt=V`), and flags.
  std::vector<std::string> drop_with_value, drop_flags;
  // Worker K's own options after --worker-slice (its files), and its log.
  std::function<std::vector<std::string>(std::size_t k)> own;
  std::function<std::filesystem::path(std::size_t k)> log;
};

// Worker K's arguments (without the program): `args` (the parent's whole
// command line but the program) less what `split` drops, then
// --worker-slice=K/N and split.own(K).
std::vector<std::string> SliceWorkerArgs(const std::vector<std::string>& args, std::size_t k,
                                         std::size_t n, const SliceSplit& split);

// The N workers' commands, in order: `program`, then SliceWorkerArgs; each
// start is logged (info).
std::vector<PoolCommand> SliceWorkerCommands(const std::filesystem::path& program,
                                             const std::vector<std::string>& args, std::size_t n,
                                             const SliceSplit& split);

}  // namespace eofzero::suite
