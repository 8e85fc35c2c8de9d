// The bash completion script, made from the same model as the man page
// (cli_model.h): subcommands (nested ones too), their options, and each
// option's values (value_kinds.h): names from the tables that parse them,
// folders, files, or the catalog's cases. The build runs `eofzero generate
// bash-completion`; installed as share/bash-completion/completions/eofzero.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace eofzero::cli {

// `app` as BuildCommandLine made it.
std::string RenderBashCompletion(const CLI::App& app);

}  // namespace eofzero::cli
