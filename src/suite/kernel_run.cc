#include "suite/kernel_run.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <optional>

#include "guest/initramfs.h"
#include "guest/initramfs_build.h"
#include "report/json_report.h"
#include "suite/guest_groups.h"
#include "suite/guest_selftest.h"
#include "suite/worker_pool.h"

namespace eofzero::suite {
namespace {

namespace fs = std::filesystem;

// The release the guest printed after its "booted" mark, if it has yet.
std::optional<std::string> BootedRelease(const fs::path& console) {
  std::ifstream in(console, std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    const auto at = line.find(guest::kBootedMark);
    if (at == std::string::npos) continue;
    std::string release = line.substr(at + std::string_view(guest::kBootedMark).size());
    std::erase_if(release, [](char c) { return c == '\r'; });
    return release;
  }
  return std::nullopt;
}

class RealPreparer : public GuestPreparer {
 public:
  RealPreparer(guest::KernelCache cache, fs::path eofzero, fs::path cases_dir,
               std::vector<fs::path> extra_cases_dirs, std::vector<std::vector<std::string>> runs,
               guest::GuestCommand command)
      : cache_(std::move(cache)),
        eofzero_(std::move(eofzero)),
        cases_dir_(std::move(cases_dir)),
        extra_cases_dirs_(std::move(extra_cases_dirs)),
        runs_(std::move(runs)),
        command_(command) {}

  os::Result<PreparedGuest> Prepare(const guest::KernelSpec& kernel, const fs::path& dir) override {
    EOFZERO_ASSIGN_OR_RETURN(guest::BootableKernel bootable, guest::ObtainKernel(kernel, cache_));
    guest::InitramfsRequest request{bootable.modules_dir,      eofzero_, cases_dir_,
                                    extra_cases_dirs_,         runs_,    command_,
                                    cache_.dir / "initramfs", dir / "modules"};
    EOFZERO_ASSIGN_OR_RETURN(fs::path initramfs, guest::BuildInitramfs(request));
    PreparedGuest prepared;
    prepared.origin = bootable.origin;
    prepared.machine.kernel = bootable.image;
    prepared.machine.initramfs = initramfs;
    prepared.machine.console = dir / "console.log";
    prepared.machine.scratch_image = dir / "scratch.img";
    prepared.machine.results_image = dir / "results.img";
    return prepared;
  }

  os::Status MakeDisks(const guest::GuestMachine& machine) override {
    return guest::MakeGuestDisks(machine);
  }

 private:
  guest::KernelCache cache_;
  fs::path eofzero_, cases_dir_;
  std::vector<fs::path> extra_cases_dirs_;
  std::vector<std::vector<std::string>> runs_;
  guest::GuestCommand command_;
};

// The kernels' guests as the pool's jobs: one job per (kernel, group of
// configurations), kernel after kernel.
class KernelGuests : public PoolClient {
 public:
  KernelGuests(const KernelRunOptions& options, const fs::path& dir, GuestPreparer& preparer,
               WorkerLauncher& launcher, report::MatrixReporter& reporter, Clock& clock,
               const InterruptPoll& interrupt)
      : options_(options),
        dir_(dir),
        preparer_(preparer),
        launcher_(launcher),
        reporter_(reporter),
        clock_(clock),
        interrupt_(interrupt),
        groups_(PlanGuestGroups(options.plan, std::max(options.parallel, 1u))),
        kernels_(options.kernels.size()),
        results_(options.kernels.size()) {
    for (std::size_t k = 0; k < kernels_.size(); ++k) {
      kernels_[k].info = {options.kernels[k].text, "", "", 0, 0};
      kernels_[k].outcomes.resize(groups_.size());
      kernels_[k].remaining = groups_.size();
      for (std::size_t g = 0; g < groups_.size(); ++g) units_.push_back({k, g});
    }
    running_.resize(units_.size());
  }

  std::size_t Jobs() const { return units_.size(); }

  std::vector<report::ConfigRecord> Take() {
    std::vector<report::ConfigRecord> out;
    for (auto& r : results_) out.insert(out.end(), r.begin(), r.end());
    return out;
  }

  // The guest's kernel prepared (once per kernel), its disks made, the
  // accelerator chosen (once per kernel): its QEMU command.
  std::optional<PoolCommand> Command(std::size_t index) override {
    const Unit& unit = units_[index];
    KernelState& k = Prepared(unit.kernel);
    if (!k.prepared) {
      Done(unit, {k.info, {}, k.prepare_error, ""});
      return std::nullopt;
    }
    guest::GuestMachine machine = k.prepared->machine;
    const fs::path dir =
        groups_.size() == 1 ? KernelDir(unit.kernel)
                            : KernelDir(unit.kernel) / fmt::format("guest-{}", unit.group + 1);
    std::error_code ec;
    fs::create_directories(dir, ec);
    machine.console = dir / "console.log";
    machine.scratch_image = dir / "scratch.img";
    machine.results_image = dir / "results.img";
    if (auto made = preparer_.MakeDisks(machine); !made) {
      Done(unit, {k.info, {}, "its disks could not be made: " + made.error().Message(), ""});
      return std::nullopt;
    }
    if (!k.accel) {
      k.accel = ChooseAccel(options_.accel, machine, KernelDir(unit.kernel), launcher_, clock_,
                            interrupt_);
      k.info.accel = guest::AccelName(k.accel->decision.accel);
      k.info.accel_note = k.accel->decision.why_not_kvm;
      if (options_.note && options_.accel.try_kvm && k.accel->decision.accel == guest::Accel::kTcg &&
          !interrupt_())
        options_.note(
            guest::AccelNote(options_.kernels[unit.kernel].text, k.accel->decision, k.accel->cached));
    }
    if (interrupt_()) {  // during the probe: start no guest
      Done(unit, {k.info, {}, report::Interruption(interrupt_()), ""});
      return std::nullopt;
    }
    machine.accel = k.accel->decision.accel;
    std::vector<std::size_t> runs;
    for (auto i : groups_[unit.group]) runs.push_back(i + 1);
    machine.append = guest::RunsWord(runs) + (options_.append.empty() ? "" : " " + options_.append);
    PoolCommand command{guest::QemuArgv(machine), dir / "qemu.log"};
    spdlog::info("kernels: starting {}: {}", options_.kernels[unit.kernel].text,
                 fmt::join(command.argv, " "));
    if (!k.first_start) k.first_start = clock_.Now();
    running_[index] = Guest{std::move(machine), k.info, clock_.Now(), {}, command.log};
    return command;
  }

  void StartFailed(std::size_t index, const os::Error& error) override {
    const Unit& unit = units_[index];
    Done(unit, {kernels_[unit.kernel].info, {}, "QEMU did not start: " + error.Message(), ""});
  }

  void Cancelled(std::size_t index, int signal) override {
    const Unit& unit = units_[index];
    Done(unit, {kernels_[unit.kernel].info, {}, report::Interruption(signal), ""});
  }

  // Has it booted? The release it printed, and when.
  void Watch(std::size_t index) override {
    Guest& g = running_[index];
    if (g.booted) return;
    if (auto release = BootedRelease(g.machine.console)) {
      g.booted = clock_.Now();
      g.info.release = *release;
      g.info.boot_seconds = SecondsBetween(g.started, *g.booted);
    }
  }

  void Ended(std::size_t index, const WorkerEnding& ending) override {
    const Unit& unit = units_[index];
    Guest& g = running_[index];
    kernels_[unit.kernel].last_end = clock_.Now();
    if (g.booted) g.info.run_seconds = SecondsBetween(*g.booted, clock_.Now());
    Done(unit, Outcome(unit, g, ending.result, ending.timed_out));
  }

  void Running(const std::vector<std::size_t>& indices) override {
    std::vector<std::string> names;
    for (auto index : indices) {
      const Unit& unit = units_[index];
      std::string name = options_.kernels[unit.kernel].text;
      if (groups_.size() > 1) {
        std::vector<std::string> configs;
        const auto list = options_.plan.ConfigList();
        for (auto i : groups_[unit.group])
          configs.push_back(list[i].fs + "/" + std::to_string(list[i].block_size / 1024) + "k");
        name += " (" + fmt::to_string(fmt::join(configs, ",")) + ")";
      }
      names.push_back(name);
    }
    reporter_.Running(names);
  }

 private:
  struct Unit {
    std::size_t kernel, group;
  };
  // A kernel's guests so far.
  struct KernelState {
    bool prepare_tried = false;
    std::optional<PreparedGuest> prepared;
    std::string prepare_error;
    std::optional<AccelChoice> accel;
    report::GuestInfo info;
    std::vector<GuestOutcome> outcomes;  // per group
    std::size_t remaining = 0;
    std::optional<Clock::TimePoint> first_start, last_end;
  };
  // A guest started.
  struct Guest {
    guest::GuestMachine machine;
    report::GuestInfo info;
    Clock::TimePoint started;
    std::optional<Clock::TimePoint> booted;
    fs::path log;  // QEMU's own output
  };

  fs::path KernelDir(std::size_t kernel) const {
    return dir_ / fmt::format("kernel-{}", kernel + 1);
  }

  // The kernel and initramfs, once per kernel.
  KernelState& Prepared(std::size_t index) {
    KernelState& k = kernels_[index];
    if (k.prepare_tried) return k;
    k.prepare_tried = true;
    std::error_code ec;
    fs::create_directories(KernelDir(index), ec);
    auto prepared = preparer_.Prepare(options_.kernels[index], KernelDir(index));
    if (!prepared) {
      k.prepare_error = "could not be prepared: " + prepared.error().Message();
      return k;
    }
    k.info.origin = prepared->origin;
    k.prepared = std::move(*prepared);
    return k;
  }

  GuestOutcome Outcome(const Unit& unit, const Guest& g, const os::ProcessResult& ended,
                       bool timed_out) {
    GuestOutcome outcome{g.info, {}, "", ""};
    outcome.console_tail = guest::ConsoleTail(g.machine.console, 12);
    const std::size_t runs = groups_[unit.group].size();
    auto texts = guest::ReadResults(g.machine.results_image, runs);
    std::string unreadable;
    for (std::size_t i = 0; i < runs; ++i) {
      const std::string text = texts ? (*texts)[i] : "";
      outcome.reports.emplace_back();
      if (text.empty()) continue;
      if (options_.selftest) {
        auto record = SelftestRunRecord(text);
        if (record) outcome.reports.back() = std::move(*record);
        else unreadable = "its report: " + record.error();
        continue;
      }
      try {
        auto record = report::RunRecordFromJson(nlohmann::ordered_json::parse(text));
        if (record) {
          outcome.reports.back() = std::move(*record);
          continue;
        }
        unreadable = "its report: " + record.error();
      } catch (const nlohmann::json::exception&) {
        unreadable = "its report is not JSON";
      }
    }
    if (std::ranges::all_of(outcome.reports, [](const auto& rep) { return rep.has_value(); }))
      return outcome;
    outcome.why_no_report =
        !unreadable.empty() ? unreadable
        : interrupt_()      ? report::Interruption(interrupt_())
                            // A panic's own line is above its stack trace: look further back.
                            : WhyNoReport(guest::ConsoleTail(g.machine.console, 400), timed_out,
                                          static_cast<int>(options_.timeout.count()),
                                          ended.Ending(), guest::ConsoleTail(g.log, 3));
    return outcome;
  }

  void Done(const Unit& unit, GuestOutcome outcome) {
    KernelState& k = kernels_[unit.kernel];
    k.outcomes[unit.group] = std::move(outcome);
    if (--k.remaining == 0) Finish(unit.kernel);
  }

  // Every guest of the kernel has ended: its rows, in the plan's order, each
  // with the kernel's times.
  void Finish(std::size_t index) {
    KernelState& k = kernels_[index];
    report::GuestInfo info = k.info;
    double boot = 0;
    bool booted = false;
    for (const auto& o : k.outcomes) {
      if (info.release.empty()) info.release = o.guest.release;
      if (!o.guest.release.empty()) booted = true;
      boot = std::max(boot, o.guest.boot_seconds);
    }
    info.boot_seconds = boot;
    if (booted && k.first_start && k.last_end)
      info.run_seconds = std::max(0.0, SecondsBetween(*k.first_start, *k.last_end) - boot);
    const auto order = options_.plan.ConfigList();
    auto place = [&](const report::ConfigRecord& c) {
      const auto at = std::ranges::find(order, GuestConfig{c.config.fs, c.config.block_size});
      return at - order.begin();
    };
    std::vector<report::ConfigRecord> rows;
    for (std::size_t g = 0; g < groups_.size(); ++g) {
      GuestOutcome outcome = k.outcomes[g];
      outcome.guest = info;
      for (auto& c : GuestRecords(outcome, options_.plan, groups_[g])) rows.push_back(std::move(c));
    }
    std::ranges::stable_sort(rows, {}, place);
    results_[index] = std::move(rows);
    for (const auto& c : results_[index])
      reporter_.ConfigDone(++finished_, total_configs(), c, info.boot_seconds + info.run_seconds);
  }

  std::size_t total_configs() const {
    return options_.kernels.size() * options_.plan.Configurations();
  }

  const KernelRunOptions& options_;
  const fs::path dir_;
  GuestPreparer& preparer_;
  WorkerLauncher& launcher_;
  report::MatrixReporter& reporter_;
  Clock& clock_;
  const InterruptPoll& interrupt_;
  const std::vector<std::vector<std::size_t>> groups_;
  std::vector<KernelState> kernels_;
  std::vector<Unit> units_;
  std::vector<std::vector<report::ConfigRecord>> results_;
  std::vector<Guest> running_;  // per job, once started
  std::size_t finished_ = 0;
};

}  // namespace

std::unique_ptr<GuestPreparer> MakeGuestPreparer(guest::KernelCache cache, fs::path eofzero,
                                                 fs::path cases_dir,
                                                 std::vector<fs::path> extra_cases_dirs,
                                                 std::vector<std::vector<std::string>> runs,
                                                 guest::GuestCommand command) {
  return std::make_unique<RealPreparer>(std::move(cache), std::move(eofzero), std::move(cases_dir),
                                        std::move(extra_cases_dirs), std::move(runs), command);
}

std::vector<report::ConfigRecord> RunKernels(const KernelRunOptions& options, const fs::path& dir,
                                             GuestPreparer& preparer, WorkerLauncher& launcher,
                                             report::MatrixReporter& reporter, Clock& clock,
                                             InterruptPoll interrupt) {
  KernelGuests guests(options, dir, preparer, launcher, reporter, clock, interrupt);
  PoolConfig pool;
  pool.parallel = options.parallel;
  pool.poll_interval = options.poll_interval;
  pool.grace = std::chrono::seconds(0);  // a guest has nothing to tidy: killed at once
  pool.timeout = options.timeout;
  RunPool(guests.Jobs(), pool, guests, launcher, clock, interrupt);
  return guests.Take();
}

}  // namespace eofzero::suite
