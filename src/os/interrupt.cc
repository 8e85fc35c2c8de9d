#include "os/interrupt.h"

#include <csignal>

namespace eofzero::os {
namespace {

volatile std::sig_atomic_t g_signal = 0;

void OnSignal(int signo) { g_signal = signo; }

}  // namespace

void InstallInterruptHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;  // let in-flight syscalls finish; we check between steps
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
  // A reader that goes away (`eofzero run | head`) must not kill the run
  // between a mount and its unmount: writes fail with EPIPE and the run unwinds.
  sigaction(SIGPIPE, &sa, nullptr);
}

bool InterruptRequested() { return g_signal != 0; }
int InterruptSignal() { return g_signal; }

}  // namespace eofzero::os
