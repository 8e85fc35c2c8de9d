// `eofzero log show LOG` and `eofzero log replay LOG --state S --image OUT`.
#include <iostream>

#include "cli/command_setup.h"
#include "cli/commands.h"
#include "report/log_listing.h"
#include "scratch/log_replay.h"
#include "scratch/write_log.h"
#include "suite/exit_status.h"

namespace eofzero::cli {

int LogCommand(const Invocation& inv) {
  auto log = scratch::ReadWriteLog(inv.log.log.string());
  if (!log) {
    const bool usage = log.error().kind == os::ErrorKind::kInvalid;
    return ExitWith({usage ? suite::kExitUsage : suite::kExitToolError, log.error().Message()});
  }
  if (inv.log.action == "show") {
    std::cout << report::RenderLogListing(inv.log.log.string(), *log);
    return suite::kExitPass;
  }
  // What a cut or damaged log still holds counts, but a state past the
  // damage is not in it: say so before replaying anything.
  if (!log->damage.empty())
    std::cerr << "eofzero: warning: " << inv.log.log.string() << " is damaged (" << log->damage
              << "): only what comes before that is in it\n";
  else if (!log->ended)
    std::cerr << "eofzero: warning: " << inv.log.log.string()
              << " was cut short (no end record): a state after its last record is not in it\n";
  auto state = scratch::ParseStateAddress(inv.log.state);  // checked by ValidateLogOptions
  if (!state) return ExitWith({suite::kExitUsage, "--state: " + state.error()});
  if (auto replayed = scratch::ReplayState(*log, *state, inv.log.image.string()); !replayed) {
    const bool usage = replayed.error().kind == os::ErrorKind::kInvalid;
    return ExitWith({usage ? suite::kExitUsage : suite::kExitToolError,
                     "log replay: " + replayed.error().Message()});
  }
  std::cout << "wrote state " << scratch::StateAddressText(*state) << " of " << inv.log.log.string()
            << " to " << inv.log.image.string() << "\n";
  return suite::kExitPass;
}

}  // namespace eofzero::cli
