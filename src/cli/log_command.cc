// `eofzero log show LOG` and `eofzero log replay LOG --state S --image OUT`:
// both read the log as it streams (scratch::WriteLogReader), a record at a
// time.
#include <iostream>

#include "cli/command_setup.h"
#include "cli/commands.h"
#include "os/interrupt.h"
#include "report/log_listing.h"
#include "scratch/log_replay.h"
#include "scratch/write_log.h"
#include "suite/exit_status.h"

namespace eofzero::cli {
namespace {

int ExitForLogError(const std::string& what, const os::Error& error) {
  if (error.kind == os::ErrorKind::kInterrupted)
    return ExitWith({suite::ExitStatusFor({}, os::InterruptSignal()),
                     what + "interrupted; nothing was written"});
  const bool usage = error.kind == os::ErrorKind::kInvalid;
  return ExitWith({usage ? suite::kExitUsage : suite::kExitToolError, what + error.Message()});
}

int ShowLog(const std::string& name, scratch::WriteLogReader& log) {
  report::LogListing listing(std::cout, name);
  listing.Header(log.header());
  for (scratch::LogRecord r;;) {
    auto more = log.Next(r);
    if (!more) return ExitForLogError("", more.error());
    if (!*more) break;
    listing.Record(r);
  }
  listing.End(log.ended(), log.damage());
  std::cout.flush();
  return suite::kExitPass;
}

}  // namespace

int LogCommand(const Invocation& inv) {
  const std::string name = inv.log.log.string();
  auto log = scratch::WriteLogReader::Open(name);
  if (!log) return ExitForLogError("", log.error());
  if (inv.log.action == "show") return ShowLog(name, *log);
  auto state = scratch::ParseStateAddress(inv.log.state);  // checked by ValidateLogOptions
  if (!state) return ExitWith({suite::kExitUsage, "--state: " + state.error()});
  // A signal unwinds the replay: its unfinished image is removed.
  os::InstallInterruptHandlers();
  if (auto replayed = scratch::ReplayState(*log, *state, inv.log.image.string()); !replayed)
    return ExitForLogError("log replay: ", replayed.error());
  // What a cut or damaged log still holds counts, but a state past the
  // damage is not in it (the replay said so if it asked for one).
  if (!log->damage().empty())
    std::cerr << "eofzero: warning: " << name << " is damaged (" << log->damage()
              << "): only what comes before that is in it\n";
  else if (!log->ended() && state->final)
    std::cerr << "eofzero: warning: " << name
              << " was cut short (no end record): a state after its last record is not in it\n";
  std::cout << "wrote state " << scratch::StateAddressText(*state) << " of " << name << " to "
            << inv.log.image.string() << "\n";
  return suite::kExitPass;
}

}  // namespace eofzero::cli
