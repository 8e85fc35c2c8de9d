// Whether a kernel's guests run under KVM or TCG (pure parts): /dev/kvm can
// be there while guests fault in the kernel's decompressor or hang silently,
// so the answer comes from a real boot (suite/accel_probe.h): the probe's
// guest must reach init and power off within a few seconds. The answer is
// kept in the kernel cache, keyed by the host kernel, the QEMU and the probed
// kernel image, so it is asked once per host and kernel.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "guest/qemu.h"

namespace eofzero::guest {

struct AccelProbeKey {
  std::string host_release;  // "6.18.44 x86_64"
  std::string qemu_version;  // the first line of `qemu-system-x86_64 --version`
  std::string kernel;        // the probed kernel image's path
  std::uint64_t kernel_bytes = 0;
  std::int64_t kernel_mtime_ns = 0;
  // One line holding all of it.
  std::string Text() const;
  // The cache file's name for this key: "accel-" and a digest of Text().
  std::string FileName() const;
};

struct AccelDecision {
  Accel accel = Accel::kTcg;
  std::string why_not_kvm;  // for TCG: "KVM did not boot within 10s", ...
  bool operator==(const AccelDecision&) const = default;
};

// The cache file's text, and the decision it holds for `key` (nullopt when it
// holds another key's, or is damaged).
std::string FormatAccelCache(const AccelProbeKey& key, const AccelDecision& decision);
std::optional<AccelDecision> ParseAccelCache(const std::string& text, const AccelProbeKey& key);

// The probe's guest: `guest`'s kernel and initramfs under KVM, with the
// probe word on its command line (its init says it booted and powers off
// before loading any module) instead of the user's words.
GuestMachine ProbeMachine(GuestMachine guest);
inline constexpr unsigned kProbeMemoryMiB = 512;
inline constexpr std::chrono::seconds kProbeTimeout{10};

// What the probe's boot says: KVM when the guest's init said it booted;
// else why not, in one line (QEMU's own words when it said any).
AccelDecision JudgeProbe(bool booted, bool timed_out, std::chrono::seconds timeout,
                         const std::string& qemu_ending, const std::string& qemu_output);

// The one-line note for stderr when a kernel's guests run under TCG though
// KVM was tried ("kernel bookworm: KVM not used (...): TCG").
std::string AccelNote(const std::string& kernel, const AccelDecision& decision, bool cached);

}  // namespace eofzero::guest
