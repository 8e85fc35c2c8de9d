// Which process owns something, in a form that survives pid reuse: a pid
// alone can name a later, unrelated process once the owner is gone, so the
// owner is its pid, its start time and the boot it started in.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "os/error.h"

namespace eofzero::os {

struct ProcessIdentity {
  pid_t pid = 0;
  std::uint64_t start_ticks = 0;  // /proc/PID/stat field 22: clock ticks after boot
  std::string boot_id;            // /proc/sys/kernel/random/boot_id
  bool operator==(const ProcessIdentity&) const = default;
};

// The identity of a running process (getpid() for this one).
Result<ProcessIdentity> IdentityOf(pid_t pid);

// True while that very process runs: same boot, same pid and start time, and
// not a zombie (a killed owner whose parent has not reaped it yet is gone).
bool IsRunning(const ProcessIdentity& who);

// Pure: the state letter and start time in a /proc/PID/stat line, whose
// second field (the command name, in parentheses) may hold blanks and ')'.
struct ProcStat {
  char state = '?';
  std::uint64_t start_ticks = 0;
};
std::optional<ProcStat> ParseProcStat(std::string_view line);

}  // namespace eofzero::os
