#include "suite/slice_workers.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace eofzero::suite {

std::vector<std::string> SliceWorkerArgs(const std::vector<std::string>& args, std::size_t k,
                                         std::size_t n, const SliceSplit& split) {
  auto among = [](const std::vector<std::string>& names, const std::string& a) {
    return std::ranges::find(names, a) != names.end();
  };
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (among(split.drop_with_value, a)) {
      ++i;  // and its value
      continue;
    }
    const auto equals = a.find('=');
    if (equals != std::string::npos && among(split.drop_with_value, a.substr(0, equals))) continue;
    if (among(split.drop_flags, a)) continue;
    out.push_back(a);
  }
  out.push_back(fmt::format("--worker-slice={}/{}", k, n));
  if (split.own)
    for (auto& a : split.own(k)) out.push_back(std::move(a));
  return out;
}

std::vector<PoolCommand> SliceWorkerCommands(const std::filesystem::path& program,
                                             const std::vector<std::string>& args, std::size_t n,
                                             const SliceSplit& split) {
  std::vector<PoolCommand> commands;
  for (std::size_t k = 1; k <= n; ++k) {
    PoolCommand c{{program.string()}, split.log ? split.log(k) : std::filesystem::path()};
    for (auto& a : SliceWorkerArgs(args, k, n, split)) c.argv.push_back(std::move(a));
    spdlog::info("{}: starting worker {}/{}: {}", split.command, k, n, fmt::join(c.argv, " "));
    commands.push_back(std::move(c));
  }
  return commands;
}

}  // namespace eofzero::suite
