// `eofzero cleanup`: what killed runs left, released; what live runs hold,
// named and left alone.
#include <iostream>

#include "cli/command_setup.h"
#include "cli/commands.h"
#include "report/cleanup_report.h"
#include "scratch/reclaim.h"
#include "suite/exit_status.h"

namespace eofzero::cli {

int CleanupCommand(const Invocation& inv) {
  if (auto ok = StartPrivileged(inv.run.verbosity, "cleanup needs root (umount, loop devices)",
                                /*reclaim=*/false);
      !ok)
    return ExitWith(ok.error());
  const auto registry = scratch::RegistryDir();
  const auto reclaimed = scratch::ReclaimLeftovers(registry);
  std::cout << report::RenderCleanup(reclaimed, scratch::LiveRuns(registry), registry);
  for (const auto& r : reclaimed)
    if (!r.problems.empty()) return suite::kExitToolError;
  return suite::kExitPass;
}

}  // namespace eofzero::cli
