// A QEMU guest's command line and disks. TCG unless told KVM: on some hosts
// /dev/kvm is there but guests fault in the kernel's decompressor under it
// (guest/accel.h decides, from a real boot), and TCG needs nothing from the
// host kernel.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "os/error.h"

namespace eofzero::guest {

enum class Accel { kTcg, kKvm };
// "tcg", "kvm".
const char* AccelName(Accel accel);

struct GuestMachine {
  std::string qemu = "qemu-system-x86_64";
  std::filesystem::path kernel, initramfs;
  std::filesystem::path console;  // the serial console's output goes here
  std::filesystem::path scratch_image, results_image;
  std::string append;  // extra kernel command-line words
  unsigned memory_mib = 1024;
  Accel accel = Accel::kTcg;  // TCG: -cpu max; KVM: -cpu host
};

// Sizes of the two disks: the scratch disk holds every filesystem in turn
// (xfs needs 300 MiB); the results disk the JSON report.
inline constexpr std::uint64_t kScratchDiskBytes = 640ull << 20;
inline constexpr std::uint64_t kResultsDiskBytes = 64ull << 20;

// The argv (pure): no display, no network, no default devices, the console
// on the first serial port, the disks as virtio-blk with their serials, and
// a panic that reboots and a reboot that ends QEMU, so a guest that panics
// ends at once.
std::vector<std::string> QemuArgv(const GuestMachine& machine);

// Makes the guest's two disks afresh (sparse files of zeros).
os::Status MakeGuestDisks(const GuestMachine& machine);

// The JSON reports the guest wrote at the start of the results disk, each
// ended by a NUL byte: the first `count` of them (an empty one where a run
// wrote none; all empty when the guest wrote nothing).
os::Result<std::vector<std::string>> ReadResults(const std::filesystem::path& results_image,
                                                 std::size_t count);

// The last `lines` lines of the console (control characters dropped).
std::string ConsoleTail(const std::filesystem::path& console, std::size_t lines);

}  // namespace eofzero::guest
