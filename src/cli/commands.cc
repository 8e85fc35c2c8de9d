#include "cli/commands.h"

#include "cli/option_groups.h"
#include "cli/value_kinds.h"
#include "report/tool_version.h"

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
    {Command::kExplore, "explore",
     "generate workloads around EOF (operations, offsets, lengths, persistence), run each "
     "through every crash mode, and reduce each finding to a minimal workload (needs root; "
     "--count needs none)",
     AddExploreOptions, ExploreCommand},
    {Command::kCleanup, "cleanup",
     "release what eofzero runs that were killed left behind (needs root)", AddCleanupOptions,
     CleanupCommand},
    {Command::kReport, "report", "render a JSON report again, in another format (no root)",
     AddReportCommandOptions, ReportCommand},
    {Command::kExport, "export",
     "write each FAIL of a JSON report as a case file, a shell reproducer, an fstests test and "
     "a finding report (no root)",
     AddExportOptions, ExportCommand},
    {Command::kLog, "log",
     "show a write log of run --record, or rebuild the image of one of its crash states (no "
     "root)",
     AddLogOptions, LogCommand},
    {Command::kVersion, "version", "print eofzero's version (and the git commit it was built from)",
     AddVersionOptions, VersionCommand},
    {Command::kGenerate, "generate",
     "write the man page or the bash completion, made from these tables (for the build)",
     AddGenerateOptions, GenerateCommand, true},
};

}  // namespace

std::span<const Subcommand> Subcommands() { return kSubcommands; }

const Subcommand* FindSubcommand(Command command) {
  for (const auto& s : kSubcommands)
    if (s.command == command) return &s;
  return nullptr;
}

std::unique_ptr<CLI::App> BuildCommandLine(RawOptions& raw, SubcommandApps* subcommands) {
  auto app = std::make_unique<CLI::App>(
      "eofzero: do ext4 and xfs keep the bytes past an old EOF zero, through a crash?", "eofzero");
  app->require_subcommand(0, 1);
  app->set_version_flag("--version", report::ToolIdentity(report::ThisTool()),
                        "print eofzero's version (and the git commit it was built from) and exit");
  for (const auto& sub : Subcommands()) {
    CLI::App* app_sub = app->add_subcommand(sub.name, sub.help);
    if (sub.hidden) app_sub->group("");
    sub.add_options(*app_sub, raw);
    if (subcommands) subcommands->push_back({app_sub, &sub});
  }
  NameValueKinds(*app);
  return app;
}

}  // namespace eofzero::cli
