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

// `base` with `change` applied over it; an empty value erases the variable.
inline Vars Changed(Vars base, const Vars& change) {
  for (const auto& [k, v] : change) {
    if (v.empty())
      base.erase(k);
    else
      base[k] = v;
  }
  return base;
}

}  // namespace eofzero::cli::stub
