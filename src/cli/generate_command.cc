// `eofzero version`, and the hidden `eofzero generate man|bash-completion`
// the build runs to make eofzero.1 and the bash completion from the
// command line the binary parses (commands.h).
#include <iostream>

#include "cli/commands.h"
#include "cli/completion.h"
#include "cli/manual.h"
#include "report/tool_version.h"
#include "suite/exit_status.h"

namespace eofzero::cli {

int VersionCommand(const Invocation&) {
  std::cout << report::ToolIdentity(report::ThisTool()) << "\n";
  return suite::kExitPass;
}

int GenerateCommand(const Invocation& inv) {
  RawOptions raw;
  const auto app = BuildCommandLine(raw);
  std::cout << (inv.generate == "man" ? RenderManPage(*app) : RenderBashCompletion(*app));
  return std::cout.flush() ? suite::kExitPass : suite::kExitToolError;
}

}  // namespace eofzero::cli
