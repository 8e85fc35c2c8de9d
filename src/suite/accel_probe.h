// Deciding KVM or TCG for a kernel's guests by booting it once under KVM
// (guest/accel.h): the probe's guest must say it booted and QEMU end within
// kProbeTimeout, else it is killed and the guests run under TCG. The answer
// is kept in the cache folder and reused. QEMU is started through a
// WorkerLauncher and time comes from a Clock, so the unit tests need neither.
#pragma once

#include <filesystem>
#include <string>

#include "guest/accel.h"
#include "suite/clock.h"
#include "suite/interrupts.h"
#include "suite/worker_launcher.h"

namespace eofzero::suite {

struct AccelProbeOptions {
  bool try_kvm = false;         // false: TCG, no probe, no note
  std::string kvm_unusable;     // why KVM cannot be tried (no /dev/kvm, ...), if so
  std::filesystem::path cache;  // the folder the answers are kept in; empty: none kept
  std::string host_release;     // parts of the key (guest/accel.h)
  std::string qemu_version;
  std::chrono::seconds timeout = guest::kProbeTimeout;
};

struct AccelChoice {
  guest::AccelDecision decision;
  bool probed = false;  // a probe ran now or earlier (not when KVM could not be tried)
  bool cached = false;  // the answer was the cache's
};

// The accelerator for the guests of `machine`'s kernel. The probe's console
// and QEMU output go into `dir`. An interrupt kills the probe: TCG, not kept.
AccelChoice ChooseAccel(const AccelProbeOptions& options, const guest::GuestMachine& machine,
                        const std::filesystem::path& dir, WorkerLauncher& launcher, Clock& clock,
                        const InterruptPoll& interrupt);

}  // namespace eofzero::suite
