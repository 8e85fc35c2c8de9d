// The man page, eofzero.1, made from the tables the binary itself parses
// with: the subcommands and their options (the CLI11 app BuildCommandLine
// makes, value kinds named), the case language's steps (engine/steps.cc) and
// variables, the exit statuses. The build runs `eofzero generate man`, so the
// page can never drift from what the binary accepts.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

namespace eofzero::cli {

// `app` as BuildCommandLine made it. Plain man(7) macros (roff).
std::string RenderManPage(const CLI::App& app);

// Text for roff: backslashes and hyphens escaped, `code` in bold, a leading
// dot or quote neutralised, a break allowed after a comma with no blank after
// it ("ext4,xfs").
std::string Roff(std::string_view text);

}  // namespace eofzero::cli
