#include "guest/accel.h"

#include <fmt/format.h>

#include <functional>
#include <sstream>

#include "guest/initramfs.h"

namespace eofzero::guest {
namespace {

std::string OneLine(const std::string& text) {
  std::string out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (!line.empty()) out += (out.empty() ? "" : " | ") + line;
  return out;
}

}  // namespace

std::string AccelProbeKey::Text() const {
  return fmt::format("host {}; {}; kernel {} ({} bytes, mtime {} ns)", host_release, qemu_version,
                     kernel, kernel_bytes, kernel_mtime_ns);
}

std::string AccelProbeKey::FileName() const {
  return fmt::format("accel-{:016x}", std::hash<std::string>{}(Text()));
}

std::string FormatAccelCache(const AccelProbeKey& key, const AccelDecision& decision) {
  std::string text = key.Text() + "\n" + AccelName(decision.accel) + "\n";
  if (decision.accel == Accel::kTcg) text += OneLine(decision.why_not_kvm) + "\n";
  return text;
}

std::optional<AccelDecision> ParseAccelCache(const std::string& text, const AccelProbeKey& key) {
  std::istringstream lines(text);
  std::string stored_key, accel, why;
  if (!std::getline(lines, stored_key) || stored_key != key.Text()) return std::nullopt;
  if (!std::getline(lines, accel)) return std::nullopt;
  if (accel == "kvm") return AccelDecision{Accel::kKvm, ""};
  if (accel != "tcg" || !std::getline(lines, why) || why.empty()) return std::nullopt;
  return AccelDecision{Accel::kTcg, why};
}

GuestMachine ProbeMachine(GuestMachine guest) {
  guest.accel = Accel::kKvm;
  guest.append = kProbeWord;
  guest.memory_mib = kProbeMemoryMiB;
  return guest;
}

AccelDecision JudgeProbe(bool booted, bool timed_out, std::chrono::seconds timeout,
                         const std::string& qemu_ending, const std::string& qemu_output) {
  if (booted) return {Accel::kKvm, ""};
  const std::string said = OneLine(qemu_output);
  if (timed_out)
    return {Accel::kTcg, fmt::format("KVM did not boot within {}s", timeout.count()) +
                             (said.empty() ? "" : " (QEMU: " + said + ")")};
  return {Accel::kTcg, "QEMU " + qemu_ending + " before the guest's init" +
                           (said.empty() ? "" : ": " + said)};
}

std::string AccelNote(const std::string& kernel, const AccelDecision& decision, bool cached) {
  return fmt::format("kernel {}: KVM not used ({}{}): TCG", kernel, decision.why_not_kvm,
                     cached ? "; probed earlier" : "");
}

}  // namespace eofzero::guest
