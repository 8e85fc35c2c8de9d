// `eofzero kernels`: the cases checked and selected here, then each kernel of
// this shard booted under QEMU by suite::RunKernels; reported like a matrix,
// with a line per kernel for its boot and run time. With --selftest the
// guests run `eofzero selftest` instead (suite/guest_selftest.h): the table
// is the self-test's, and the exit status too.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>

#include "cli/case_preflight.h"
#include "cli/command_setup.h"
#include "cli/commands.h"
#include "engine/case_file.h"
#include "guest/elf_modinfo.h"
#include "guest/host_tools.h"
#include "os/child.h"
#include "os/interrupt.h"
#include "os/process.h"
#include "report/kernel_times.h"
#include "report/report_output.h"
#include "fsdriver/registry.h"
#include "scratch/run_dir.h"
#include "suite/clock.h"
#include "suite/exit_status.h"
#include "suite/interrupts.h"
#include "suite/guest_groups.h"
#include "suite/guest_selftest.h"
#include "suite/kernel_run.h"

namespace eofzero::cli {
namespace {

std::string Env(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

// What the run needs on the host (guest/host_tools.h), checked before
// anything is fetched: the first one missing, as one line naming its
// package; empty when all are there.
std::string MissingHostTool(const std::vector<guest::KernelSpec>& kernels,
                            const std::vector<fsdriver::FsType>& filesystems) {
  for (const auto& tool : guest::KernelsHostTools(kernels, filesystems)) {
    std::error_code ec;
    const bool there = tool.program.starts_with('/')
                           ? std::filesystem::is_regular_file(tool.program, ec)
                           : os::ProgramExists(tool.program);
    if (!there) return tool.Missing();
    if (tool.program != "busybox") continue;
    // The guest has no shared libraries for busybox: it must be static.
    const std::string busybox = os::ProgramPath("busybox");
    std::ifstream in(busybox, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (auto dynamic = guest::ElfHasInterpreter(bytes); !dynamic || *dynamic)
      return busybox + " is not a static busybox: apt-get install " + tool.package;
  }
  return {};
}

guest::KernelCache CacheOf(const suite::KernelsOptions& k) {
  guest::KernelCache cache;
  cache.dir =
      !k.cache_dir.empty()
          ? k.cache_dir
          : std::filesystem::path(Env("EOFZERO_KERNEL_CACHE", "/var/cache/eofzero/kernels"));
  cache.mirror = Env("EOFZERO_DEBIAN_MIRROR", cache.mirror);
  cache.security_mirror = Env("EOFZERO_DEBIAN_SECURITY_MIRROR", cache.security_mirror);
  return cache;
}

// KVM is tried when /dev/kvm can be opened; the probe's answers are kept
// beside the kernels, keyed by this host's kernel and QEMU.
suite::AccelProbeOptions AccelOptions(const std::filesystem::path& cache_dir) {
  suite::AccelProbeOptions accel;
  accel.try_kvm = true;
  if (auto kvm = os::CheckReadWrite("/dev/kvm"); !kvm) accel.kvm_unusable = kvm.error().Message();
  accel.cache = cache_dir / "accel";
  accel.host_release = os::KernelRelease();
  const std::string qemu = guest::GuestMachine{}.qemu;
  auto version = os::RunProcess({qemu, "--version"});
  accel.qemu_version = version && version->ok() ? version->out.substr(0, version->out.find('\n'))
                                                : os::ProgramPath(qemu);
  return accel;
}

}  // namespace

int KernelsCommand(const Invocation& inv) {
  auto catalog = LoadCatalog(inv.run);
  if (!catalog) return ExitWith(catalog.error());
  auto selected = engine::SelectCases(catalog->cases, inv.run.cases);
  if (!selected) return ExitWith({suite::kExitUsage, selected.error()});
  for (auto fs : inv.run.filesystems)
    if (!fsdriver::Driver(fs).InGuest())
      return ExitWith({suite::kExitUsage, "--fs: " + std::string(fsdriver::FsTypeName(fs)) +
                                              " does not run in a guest yet (its modules and "
                                              "tools are not in the initramfs)"});
  const bool selftest = inv.kernels.selftest;
  if (!selftest)
    if (auto ok = PreflightCases(inv.run, *selected); !ok)
      return ExitWith({suite::kExitUsage, ok.error()});
  if (selftest)  // a name the guests' catalog has
    if (auto probe = ProbeCaseName(*catalog, inv.run.probe_case); !probe)
      return ExitWith(probe.error());
  if (auto missing = MissingHostTool(inv.kernels.kernels, inv.run.filesystems);
      !missing.empty())
    return ExitWith({suite::kExitToolError, "kernels: " + missing});
  if (auto ok = SetUpLogging(inv.run.verbosity); !ok) return ExitWith(ok.error());
  os::InstallInterruptHandlers();

  suite::KernelRunOptions options;
  options.kernels = guest::ShardSlice(inv.kernels.kernels, inv.kernels.shard);
  std::vector<std::string> case_names, filesystems;
  for (auto fs : inv.run.filesystems) filesystems.emplace_back(fsdriver::FsTypeName(fs));
  options.plan.filesystems = filesystems;
  for (const auto* c : *selected) {
    case_names.push_back(c->name);
    options.plan.cases.push_back({c->name, c->block_size.value_or(inv.run.block_size)});
  }
  if (selftest) options.plan = suite::SelftestPlan(filesystems, inv.run.block_size);
  options.selftest = selftest;
  // What the run is, for its shards' identity.
  const std::vector<std::string> selection =
      selftest ? std::vector<std::string>{"--selftest", "--fs", fmt::to_string(fmt::join(filesystems, ",")),
                                          "--probe-case", inv.run.probe_case}
               : std::vector<std::string>{"--fs", fmt::to_string(fmt::join(filesystems, ",")),
                                          "--case", fmt::to_string(fmt::join(case_names, ","))};
  options.timeout = std::chrono::seconds(inv.kernels.timeout_seconds);
  options.append = inv.kernels.append;
  const auto fit = suite::GuestsThatFit(inv.kernels.jobs, os::AvailableMemoryMiB(),
                                        guest::GuestMachine{}.memory_mib);
  if (!fit.note.empty()) std::cerr << "eofzero: kernels: " << fit.note << "\n";
  options.parallel = fit.guests;
  const auto cache = CacheOf(inv.kernels);
  options.accel = AccelOptions(cache.dir);
  options.note = [](const std::string& note) { std::cerr << "eofzero: " << note << "\n"; };

  auto self = os::SelfExecutable();
  if (!self) return ExitWith({suite::kExitToolError, "kernels: " + self.error().Message()});
  auto space = scratch::OpenRunSpace(inv.run.workdir, true);
  if (!space) return ExitWith({suite::kExitToolError, "kernels: " + space.error().Message()});
  if (inv.run.keep) space->dir->Keep();
  auto preparer = suite::MakeGuestPreparer(
      cache, *self, catalog->dir, inv.run.cases_dirs,
      selftest ? suite::SelftestRunArgs(options.plan, inv.run.probe_case) : options.plan.AllRunArgs(),
      selftest ? guest::GuestCommand::kSelftest : guest::GuestCommand::kRun);
  auto launcher = suite::MakeChildLauncher();

  report::MatrixRendering rendering;
  if (selftest) rendering = {suite::KernelsSelftestProgressLine, suite::RenderKernelsSelftest};
  report::MatrixOutput output(inv.run.format, inv.run.output, std::cout,
                              ::isatty(STDOUT_FILENO) == 1,
                              selftest ? "kernels --selftest" : "kernels", rendering);
  report::RunRecord record;
  record.tool = report::ThisTool();
  record.command = "kernels";
  std::vector<std::string> all_kernels;  // the whole list: what every shard is a slice of
  for (const auto& k : inv.kernels.kernels) all_kernels.push_back(k.text);
  record.shard = report::RunRecord::Shard{
      inv.kernels.shard.index, inv.kernels.shard.count,
      "kernels " + fmt::to_string(fmt::join(all_kernels, ",")) + " " +
          fmt::to_string(fmt::join(selection, " "))};
  record.kernel = os::KernelRelease();
  record.started = report::UtcNow();
  const std::size_t configs = options.kernels.size() * options.plan.Configurations();
  output.reporter().Started(record.kernel, configs, options.parallel);
  const auto start = std::chrono::steady_clock::now();
  record.configs =
      suite::RunKernels(options, space->dir->path(), *preparer, *launcher, output.reporter(),
                        suite::SteadyClock(), suite::ProcessInterrupt);
  record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  record.interrupted_by = suite::ProcessInterrupt();
  output.reporter().Finished(record, configs, options.parallel);
  if (inv.run.format == report::ReportFormat::kHuman || !inv.run.output.empty())
    std::cout << report::RenderKernelTimes(record, report::TableStyle::kText);
  if (inv.run.keep) std::cerr << "eofzero: kept " << space->dir->path().string() << "\n";
  auto written = inv.run.format == report::ReportFormat::kMarkdown
                     ? report::WriteReport(
                           report::RenderRecord(record, inv.run.format) +
                               report::RenderKernelTimes(record, report::TableStyle::kMarkdown),
                           inv.run.output, std::cout)
                     : output.Write(record, configs, options.parallel);
  if (!written) return ExitWith({suite::kExitToolError, written.error()});
  if (os::InterruptRequested()) return suite::ExitStatusFor({}, os::InterruptSignal());
  return selftest ? suite::KernelsSelftestExitStatus(record) : suite::MatrixExitStatus(record);
}

}  // namespace eofzero::cli
