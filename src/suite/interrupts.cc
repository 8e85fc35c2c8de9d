#include "suite/interrupts.h"

#include "os/interrupt.h"

namespace eofzero::suite {

int ProcessInterrupt() { return os::InterruptSignal(); }

}  // namespace eofzero::suite
