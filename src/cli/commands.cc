#include "cli/commands.h"

#include "cli/option_groups.h"

namespace eofzero::cli {
namespace {

constexpr Subcommand kSubcommands[] = {
    {Command::kRun, "run", "run cases on scratch filesystems (needs root)", AddRunOptions,
     RunCommand},
    {Command::kList, "list", "list the cases with their purpose and needs", AddListOptions,
     ListCommand},
    {Command::kSelftest, "selftest",
     "prove every oracle can fail: plant behind the filesystem's back (needs root)",
     AddSelftestOptions, SelftestCommand},
    {Command::kMatrix, "matrix",
     "run the cases on many filesystem configurations, in parallel (needs root)", AddMatrixOptions,
     MatrixCommand},
    {Command::kKernels, "kernels",
     "run the cases on other kernels, each booted under QEMU (TCG) with a small initramfs "
     "(needs root)",
     AddKernelsOptions, KernelsCommand},
    {Command::kSweep, "sweep",
     "run each case under every durability primitive, crash mode and crash point, judged by "
     "the crash model's invariants (needs root)",
     AddSweepOptions, SweepCommand},
    {Command::kCleanup, "cleanup",
     "release what eofzero runs that were killed left behind (needs root)", AddCleanupOptions,
     CleanupCommand},
    {Command::kReport, "report", "render a JSON report again, in another format (no root)",
     AddReportCommandOptions, ReportCommand},
    {Command::kLog, "log",
     "show a write log of run --record, or rebuild the image of one of its crash states (no "
     "root)",
     AddLogOptions, LogCommand},
};

}  // namespace

std::span<const Subcommand> Subcommands() { return kSubcommands; }

const Subcommand* FindSubcommand(Command command) {
  for (const auto& s : kSubcommands)
    if (s.command == command) return &s;
  return nullptr;
}

}  // namespace eofzero::cli
