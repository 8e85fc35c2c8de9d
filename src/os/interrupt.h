// SIGINT/SIGTERM/SIGHUP/SIGPIPE handling: the handler only records the signal. Long-running
// code polls InterruptRequested() between steps and unwinds through its RAII
// owners (mounts, loop devices, images), so nothing is left behind.
#pragma once

namespace eofzero::os {

void InstallInterruptHandlers();
bool InterruptRequested();
// The signal that was received, or 0.
int InterruptSignal();

}  // namespace eofzero::os
