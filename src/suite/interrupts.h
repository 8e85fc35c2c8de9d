// Whether a signal asked the run to stop, as the runners poll it between
// steps: the real poll reads os::InterruptSignal() (set by the handlers of
// os/interrupt.h); a test's returns what the test says.
#pragma once

#include <functional>

namespace eofzero::suite {

// The signal that asked the run to stop (SIGINT, SIGTERM, SIGHUP), or 0.
using InterruptPoll = std::function<int()>;

// os::InterruptSignal(): the process's own signal handlers.
int ProcessInterrupt();

}  // namespace eofzero::suite
