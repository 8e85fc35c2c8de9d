// `eofzero kernels`: the same cases on other kernels, each booted under QEMU
// with an initramfs that runs eofzero on a virtio scratch disk and writes its
// JSON reports onto a results disk. A kernel's configurations are spread over
// up to `parallel` guests (suite/guest_groups.h), each running its group one
// after another; up to `parallel` guests run at once, kernel after kernel.
// Each kernel's guests run under KVM when a probe boot says it works
// (suite/accel_probe.h), else TCG. Each guest is bounded by a timeout (a
// guest that hangs is killed); a guest that fails to boot, panics, hangs or
// reports nothing is one ERROR row per configuration it was given, with the
// console's last lines. A kernel's rows, whichever guests ran them, are in
// the plan's order, with the kernel's boot time (its slowest guest's) and
// run time (the rest of its wall time). Guests are prepared through a
// GuestPreparer (the real one fetches the kernel and builds the initramfs)
// and started through a WorkerLauncher, time comes from a Clock: the unit
// tests run it with fakes, no QEMU and no root.
#pragma once

#include <chrono>
#include <functional>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "guest/initramfs.h"
#include "guest/kernel_package.h"
#include "guest/kernel_spec.h"
#include "guest/qemu.h"
#include "report/matrix_reporter.h"
#include "report/record.h"
#include "suite/accel_probe.h"
#include "suite/clock.h"
#include "suite/guest_records.h"
#include "suite/interrupts.h"
#include "suite/worker_launcher.h"

namespace eofzero::suite {

struct KernelRunOptions {
  std::vector<guest::KernelSpec> kernels;  // this shard's
  GuestPlan plan;                          // the filesystems and cases it will run
  // The guests run `eofzero selftest` (suite/guest_selftest.h): their
  // reports are self-test documents, read by SelftestRunRecord.
  bool selftest = false;
  unsigned parallel = 1;                   // guests at once
  std::chrono::seconds timeout{900};       // per guest, boot and run
  std::string append;                      // extra kernel command-line words
  std::chrono::milliseconds poll_interval{100};
  AccelProbeOptions accel;  // default: TCG without a probe
  // One-line notes for the user (a kernel's guests under TCG though KVM was
  // tried); none when empty.
  std::function<void(const std::string&)> note;
};

// A guest ready to start: its machine (kernel, initramfs, disks, console) and
// where its kernel came from.
struct PreparedGuest {
  guest::GuestMachine machine;
  std::string origin;
};

class GuestPreparer {
 public:
  virtual ~GuestPreparer() = default;
  // Makes what the guests of `kernel` need inside `dir` (its own folder): the
  // kernel and initramfs, and paths for one guest's console and disks in
  // `dir`. An error (the kernel cannot be had, the initramfs not built) is
  // that kernel's ERROR rows.
  virtual os::Result<PreparedGuest> Prepare(const guest::KernelSpec& kernel,
                                            const std::filesystem::path& dir) = 0;
  // Makes one guest's disks afresh, where `machine` says.
  virtual os::Status MakeDisks(const guest::GuestMachine& machine) = 0;
};

// The real one: guest/kernel_package.h and guest/initramfs_build.h; the
// initramfs holds the catalog `cases_dir`, the case files of the user's
// `extra_cases_dirs` (--cases-dir, which every run in the guest loads) and
// every run of `runs` (GuestPlan::AllRunArgs, or SelftestRunArgs for
// `command` kSelftest).
std::unique_ptr<GuestPreparer> MakeGuestPreparer(
    guest::KernelCache cache, std::filesystem::path eofzero, std::filesystem::path cases_dir,
    std::vector<std::filesystem::path> extra_cases_dirs, std::vector<std::vector<std::string>> runs,
    guest::GuestCommand command = guest::GuestCommand::kRun);

// Runs every kernel's guest in `dir` (one folder each) and returns their
// records, in the kernels' order. On an interrupt it starts no more guests
// and kills the running ones; their cases are not-run ERRORs.
std::vector<report::ConfigRecord> RunKernels(const KernelRunOptions& options,
                                             const std::filesystem::path& dir,
                                             GuestPreparer& preparer, WorkerLauncher& launcher,
                                             report::MatrixReporter& reporter, Clock& clock,
                                             InterruptPoll interrupt);

}  // namespace eofzero::suite
