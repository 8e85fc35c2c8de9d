// An environment for the fstests options, from a map instead of the process's.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "cli/fstests_env.h"

namespace eofzero::cli::stub {

using Vars = std::map<std::string, std::string>;

inline EnvLookup Env(Vars vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace eofzero::cli::stub
