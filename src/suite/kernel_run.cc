#include "suite/kernel_run.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <optional>

#include "guest/initramfs.h"
#include "guest/initramfs_build.h"
#include "report/json_report.h"

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
               std::vector<std::string> run_args)
      : cache_(std::move(cache)),
        eofzero_(std::move(eofzero)),
        cases_dir_(std::move(cases_dir)),
        run_args_(std::move(run_args)) {}

  os::Result<PreparedGuest> Prepare(const guest::KernelSpec& kernel, const fs::path& dir) override {
    EOFZERO_ASSIGN_OR_RETURN(guest::BootableKernel bootable, guest::ObtainKernel(kernel, cache_));
    guest::InitramfsRequest request{bootable.modules_dir,     eofzero_,       cases_dir_, run_args_,
                                    cache_.dir / "initramfs", dir / "modules"};
    EOFZERO_ASSIGN_OR_RETURN(fs::path initramfs, guest::BuildInitramfs(request));
    PreparedGuest prepared;
    prepared.origin = bootable.origin;
    prepared.machine.kernel = bootable.image;
    prepared.machine.initramfs = initramfs;
    prepared.machine.console = dir / "console.log";
    prepared.machine.scratch_image = dir / "scratch.img";
    prepared.machine.results_image = dir / "results.img";
    EOFZERO_RETURN_IF_ERROR(guest::MakeGuestDisks(prepared.machine));
    return prepared;
  }

 private:
  guest::KernelCache cache_;
  fs::path eofzero_, cases_dir_;
  std::vector<std::string> run_args_;
};

class KernelScheduler {
 public:
  KernelScheduler(const KernelRunOptions& options, const fs::path& dir, GuestPreparer& preparer,
                  WorkerLauncher& launcher, report::MatrixReporter& reporter, Clock& clock,
                  InterruptPoll interrupt)
      : options_(options),
        dir_(dir),
        preparer_(preparer),
        launcher_(launcher),
        reporter_(reporter),
        clock_(clock),
        interrupt_(std::move(interrupt)),
        results_(options.kernels.size()) {}

  std::vector<report::ConfigRecord> Run() {
    const auto& kernels = options_.kernels;
    while (next_ < kernels.size() || !running_.empty()) {
      while (!interrupt_() && next_ < kernels.size() && running_.size() < options_.parallel)
        Start(next_++);
      if (interrupt_()) {
        for (auto& r : running_) r.worker->Kill();
        while (next_ < kernels.size()) {
          report::GuestInfo info{kernels[next_].text, "", "", 0, 0};
          Done(next_++, {info, std::nullopt, report::Interruption(interrupt_()), ""});
        }
      }
      Reap();
      if (!running_.empty()) clock_.SleepFor(options_.poll_interval);
    }
    std::vector<report::ConfigRecord> out;
    for (auto& r : results_) out.insert(out.end(), r.begin(), r.end());
    return out;
  }

 private:
  struct Running {
    std::size_t index;
    std::unique_ptr<Worker> worker;
    PreparedGuest prepared;
    report::GuestInfo info;
    Clock::TimePoint started;
    std::optional<Clock::TimePoint> booted;
    fs::path log;  // QEMU's own output
  };

  void Start(std::size_t index) {
    const auto& kernel = options_.kernels[index];
    const fs::path dir = dir_ / fmt::format("kernel-{}", index + 1);
    std::error_code ec;
    fs::create_directories(dir, ec);
    report::GuestInfo info{kernel.text, "", "", 0, 0};
    auto prepared = preparer_.Prepare(kernel, dir);
    if (!prepared) {
      Done(index, {info, std::nullopt, "could not be prepared: " + prepared.error().Message(), ""});
      return;
    }
    info.origin = prepared->origin;
    prepared->machine.append = options_.append;
    const auto argv = guest::QemuArgv(prepared->machine);
    spdlog::info("kernels: starting {}: {}", kernel.text, fmt::join(argv, " "));
    auto worker = launcher_.Start(argv, dir / "qemu.log");
    if (!worker) {
      Done(index, {info, std::nullopt, "QEMU did not start: " + worker.error().Message(), ""});
      return;
    }
    running_.push_back(
        {index, std::move(*worker), std::move(*prepared), info, clock_.Now(), {}, dir / "qemu.log"});
    ShowRunning();
  }

  void Reap() {
    for (auto it = running_.begin(); it != running_.end();) {
      auto& r = *it;
      if (!r.booted) {
        if (auto release = BootedRelease(r.prepared.machine.console)) {
          r.booted = clock_.Now();
          r.info.release = *release;
          r.info.boot_seconds = SecondsBetween(r.started, *r.booted);
        }
      }
      auto ended = r.worker->Poll();
      const bool timed_out = !ended && clock_.Now() - r.started >= options_.timeout;
      if (timed_out) {
        r.worker->Kill();
        while (!(ended = r.worker->Poll())) clock_.SleepFor(std::chrono::milliseconds(10));
      }
      if (!ended) {
        ++it;
        continue;
      }
      if (r.booted) r.info.run_seconds = SecondsBetween(*r.booted, clock_.Now());
      Done(r.index, Outcome(r, *ended, timed_out));
      it = running_.erase(it);
      ShowRunning();
    }
  }

  GuestOutcome Outcome(const Running& r, const os::ProcessResult& ended, bool timed_out) {
    GuestOutcome outcome{r.info, std::nullopt, "", ""};
    outcome.console_tail = guest::ConsoleTail(r.prepared.machine.console, 12);
    auto text = guest::ReadResults(r.prepared.machine.results_image);
    if (text && !text->empty()) {
      try {
        auto record = report::RunRecordFromJson(nlohmann::ordered_json::parse(*text));
        if (record) {
          outcome.report = std::move(*record);
          return outcome;
        }
        outcome.why_no_report = "its report: " + record.error();
      } catch (const nlohmann::json::exception&) {
        outcome.why_no_report = "its report is not JSON";
      }
      return outcome;
    }
    outcome.why_no_report =
        interrupt_() ? report::Interruption(interrupt_())
                     // A panic's own line is above its stack trace: look further back.
                     : WhyNoReport(guest::ConsoleTail(r.prepared.machine.console, 400), timed_out,
                                   static_cast<int>(options_.timeout.count()), ended.Ending(),
                                   guest::ConsoleTail(r.log, 3));
    return outcome;
  }

  void Done(std::size_t index, const GuestOutcome& outcome) {
    results_[index] = GuestRecords(outcome, options_.plan);
    for (const auto& c : results_[index])
      reporter_.ConfigDone(++finished_, total_configs(), c,
                           outcome.guest.boot_seconds + outcome.guest.run_seconds);
  }

  std::size_t total_configs() const {
    return options_.kernels.size() * options_.plan.Configurations();
  }

  void ShowRunning() {
    std::vector<std::string> names;
    for (const auto& r : running_) names.push_back(options_.kernels[r.index].text);
    reporter_.Running(names);
  }

  const KernelRunOptions& options_;
  const fs::path dir_;
  GuestPreparer& preparer_;
  WorkerLauncher& launcher_;
  report::MatrixReporter& reporter_;
  Clock& clock_;
  const InterruptPoll interrupt_;
  std::vector<std::vector<report::ConfigRecord>> results_;
  std::vector<Running> running_;
  std::size_t next_ = 0, finished_ = 0;
};

}  // namespace

std::unique_ptr<GuestPreparer> MakeGuestPreparer(guest::KernelCache cache, fs::path eofzero,
                                                 fs::path cases_dir,
                                                 std::vector<std::string> run_args) {
  return std::make_unique<RealPreparer>(std::move(cache), std::move(eofzero), std::move(cases_dir),
                                        std::move(run_args));
}

std::vector<report::ConfigRecord> RunKernels(const KernelRunOptions& options, const fs::path& dir,
                                             GuestPreparer& preparer, WorkerLauncher& launcher,
                                             report::MatrixReporter& reporter, Clock& clock,
                                             InterruptPoll interrupt) {
  return KernelScheduler(options, dir, preparer, launcher, reporter, clock, std::move(interrupt))
      .Run();
}

}  // namespace eofzero::suite
