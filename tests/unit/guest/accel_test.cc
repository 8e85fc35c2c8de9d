#include "guest/accel.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "guest/initramfs.h"

namespace eofzero::guest {
namespace {

AccelProbeKey Key() {
  return {"6.18.44-fc x86_64", "QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18)",
          "/cache/extracted/linux-image-6.1/boot/vmlinuz-6.1.0-57-amd64", 8000000,
          1700000000123456789};
}

TEST(Accel, TheKeyNamesTheHostQemuAndTheKernelImage) {
  EXPECT_EQ(Key().Text(),
            "host 6.18.44-fc x86_64; QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18); "
            "kernel /cache/extracted/linux-image-6.1/boot/vmlinuz-6.1.0-57-amd64 (8000000 bytes, "
            "mtime 1700000000123456789 ns)");
  EXPECT_TRUE(Key().FileName().starts_with("accel-"));
  EXPECT_EQ(Key().FileName().size(), 6u + 16u);
  // Any part that changes is another key: another file, and a stale one is not read.
  for (auto change : {+[](AccelProbeKey& k) { k.host_release = "6.19.0 x86_64"; },
                      +[](AccelProbeKey& k) { k.qemu_version = "QEMU emulator version 8.2.0"; },
                      +[](AccelProbeKey& k) { k.kernel = "/other/vmlinuz"; },
                      +[](AccelProbeKey& k) { k.kernel_bytes = 8000001; },
                      +[](AccelProbeKey& k) { k.kernel_mtime_ns = 1; }}) {
    AccelProbeKey other = Key();
    change(other);
    EXPECT_NE(other.FileName(), Key().FileName()) << other.Text();
    EXPECT_EQ(ParseAccelCache(FormatAccelCache(Key(), {Accel::kKvm, ""}), other), std::nullopt);
  }
}

TEST(Accel, TheCacheHoldsTheDecisionAndWhyNotKvm) {
  const AccelDecision kvm{Accel::kKvm, ""};
  const AccelDecision tcg{Accel::kTcg, "KVM did not boot within 10s"};
  EXPECT_EQ(FormatAccelCache(Key(), kvm), Key().Text() + "\nkvm\n");
  EXPECT_EQ(FormatAccelCache(Key(), tcg), Key().Text() + "\ntcg\nKVM did not boot within 10s\n");
  EXPECT_EQ(ParseAccelCache(FormatAccelCache(Key(), kvm), Key()), kvm);
  EXPECT_EQ(ParseAccelCache(FormatAccelCache(Key(), tcg), Key()), tcg);
  // QEMU's words over several lines are kept on one.
  const AccelDecision two_lines{Accel::kTcg, "QEMU exited 1: a\nb"};
  EXPECT_EQ(ParseAccelCache(FormatAccelCache(Key(), two_lines), Key())->why_not_kvm,
            "QEMU exited 1: a | b");
  // Damaged or cut: asked again.
  for (const std::string damaged : {std::string(), Key().Text(), Key().Text() + "\n",
                                    Key().Text() + "\nhvf\n", Key().Text() + "\ntcg\n",
                                    Key().Text() + "\ntcg\n\n", "x" + Key().Text() + "\nkvm\n"})
    EXPECT_EQ(ParseAccelCache(damaged, Key()), std::nullopt) << damaged;
}

TEST(Accel, TheProbeIsTheGuestUnderKvmWithTheProbeWordOnly) {
  GuestMachine guest;
  guest.kernel = "/k/vmlinuz";
  guest.initramfs = "/c/initramfs.cpio";
  guest.append = "eofzero.runs=1 rdinit=/bin/sh";
  const auto probe = ProbeMachine(guest);
  EXPECT_EQ(probe.accel, Accel::kKvm);
  EXPECT_EQ(probe.append, kProbeWord);
  EXPECT_EQ(probe.memory_mib, kProbeMemoryMiB);
  const auto argv = QemuArgv(probe);
  EXPECT_NE(std::ranges::find(argv, "kvm"), argv.end());
  EXPECT_NE(std::ranges::find(argv, "/k/vmlinuz"), argv.end());
  EXPECT_NE(std::ranges::find(argv, "-no-reboot"), argv.end()) << "its init's reboot ends QEMU";
  EXPECT_NE(std::ranges::find(argv, "console=ttyS0 panic=-1 rdinit=/init loglevel=4 eofzero.probe"),
            argv.end());
}

TEST(Accel, TheProbeSaysKvmOnlyWhenTheGuestBooted) {
  using std::chrono::seconds;
  EXPECT_EQ(JudgeProbe(true, false, seconds(10), "exited 0", ""), (AccelDecision{Accel::kKvm, ""}));
  EXPECT_EQ(JudgeProbe(true, true, seconds(10), "was killed by signal 9 (SIGKILL)", "").accel,
            Accel::kKvm)
      << "it booted; only its power-off was slow";
  EXPECT_EQ(JudgeProbe(false, true, seconds(10), "was killed by signal 9 (SIGKILL)",
                       "KVM internal error. Suberror: 1\nemulation failure\n"),
            (AccelDecision{Accel::kTcg,
                           "KVM did not boot within 10s (QEMU: KVM internal error. Suberror: 1 | "
                           "emulation failure)"}));
  EXPECT_EQ(JudgeProbe(false, true, seconds(8), "was killed by signal 9 (SIGKILL)", "").why_not_kvm,
            "KVM did not boot within 8s");
  EXPECT_EQ(JudgeProbe(false, false, seconds(10), "was killed by signal 6 (SIGABRT)",
                       "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69\n"),
            (AccelDecision{Accel::kTcg,
                           "QEMU was killed by signal 6 (SIGABRT) before the guest's init: "
                           "qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69"}));
  EXPECT_EQ(JudgeProbe(false, false, seconds(10), "exited 0", "").why_not_kvm,
            "QEMU exited 0 before the guest's init");
}

TEST(Accel, TheNoteIsOneLine) {
  EXPECT_EQ(AccelNote("bookworm", {Accel::kTcg, "KVM did not boot within 10s"}, false),
            "kernel bookworm: KVM not used (KVM did not boot within 10s): TCG");
  EXPECT_EQ(AccelNote("bookworm", {Accel::kTcg, "open /dev/kvm: No such file or directory"}, true),
            "kernel bookworm: KVM not used (open /dev/kvm: No such file or directory; probed "
            "earlier): TCG");
}

}  // namespace
}  // namespace eofzero::guest
