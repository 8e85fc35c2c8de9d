#include "suite/kernel_run.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <functional>
#include <map>

#include "guest/initramfs.h"
#include "report/json_report.h"
#include "report/table.h"
#include "suite/exit_status.h"
#include "suite/guest_records.h"
#include "suite/fake_clock.h"
#include "temp_dir.h"

namespace eofzero::suite {
namespace {

using oracles::Outcome;
using Strings = std::vector<std::string>;

using test::FakeClock;

// A guest's report as eofzero in it would write it.
std::string GuestReport(const std::string& release, Outcome append_write) {
  report::RunRecord r;
  r.kernel = release + " x86_64";
  for (const char* fs : {"ext4", "xfs"}) {
    report::ConfigRecord c;
    c.config.fs = fs;
    c.config.block_size = 4096;
    for (const char* name : {"append_write", "truncate_up"}) {
      report::CaseRecord cr;
      cr.case_name = name;
      cr.outcome = std::string(name) == "append_write" && std::string(fs) == "xfs" ? append_write
                                                                                   : Outcome::kPass;
      c.cases.push_back(cr);
    }
    r.configs.push_back(c);
  }
  return report::ToJson(r).dump();
}

// Kernels named "good-*" boot after 2 s and report after 10 s more;
// "panic" prints a panic and ends; "hang" boots and never ends.
class FakeGuests : public GuestPreparer, public WorkerLauncher {
 public:
  FakeClock& clock;
  Strings log;
  explicit FakeGuests(FakeClock& c) : clock(c) {}

  os::Result<PreparedGuest> Prepare(const guest::KernelSpec& kernel,
                                    const std::filesystem::path& dir) override {
    if (kernel.text == "missing")
      return os::Fail(os::ErrorKind::kInvalid, "linux-image-missing: not found in sid");
    PreparedGuest p;
    p.origin = "fake " + kernel.text;
    p.machine.kernel = kernel.text;
    p.machine.console = dir / "console.log";
    p.machine.scratch_image = dir / "scratch.img";
    p.machine.results_image = dir / "results.img";
    std::ofstream(p.machine.results_image) << std::string(64, '\0');
    return p;
  }

  os::Result<std::unique_ptr<Worker>> Start(const Strings& argv,
                                            const std::filesystem::path& qemu_log) override {
    auto at = [&](const std::string& flag) { return *(std::ranges::find(argv, flag) + 1); };
    const std::string kernel = at("-kernel");
    if (kernel == "not-a-kernel")  // QEMU says why on stderr and exits 1 at once
      std::ofstream(qemu_log) << "qemu-system-x86_64: warning: a warning first\n"
                              << "qemu: linux kernel too old to load a ram disk\n";
    std::string console = at("-serial").substr(5);
    std::string results;
    for (const auto& a : argv)
      if (a.find("id=results") != std::string::npos) results = a.substr(5, a.find(',') - 5);
    log.push_back("start " + kernel);
    return std::make_unique<Guest>(*this, kernel, console, results, clock.Now());
  }

 private:
  class Guest : public Worker {
   public:
    Guest(FakeGuests& owner, std::string kernel, std::string console, std::string results,
          Clock::TimePoint started)
        : owner_(owner), kernel_(kernel), console_(console), results_(results), started_(started) {}
    std::optional<os::ProcessResult> Poll() override {
      if (killed_) return Ended(-1, SIGKILL);
      const double t = std::chrono::duration<double>(owner_.clock.Now() - started_).count();
      if (kernel_ == "not-a-kernel") return Ended(1, 0);
      if (kernel_ == "panic") {
        // The panic's own line, then a stack trace longer than the tail shown.
        std::ofstream console(console_);
        console << "Linux version 6.1.0\r\n"
                << "Kernel panic - not syncing: Attempted to kill init!\r\n";
        for (int i = 0; i < 30; ++i) console << "[    2.6] frame " << i << "\r\n";
        return Ended(0, 0);
      }
      if (t >= 2 && !booted_) {
        booted_ = true;
        std::ofstream(console_) << guest::kBootedMark << "6.1.0-" << kernel_ << "\r\n";
      }
      if (kernel_ == "hang" || t < 12) return std::nullopt;
      std::fstream(results_, std::ios::in | std::ios::out | std::ios::binary)
          << GuestReport("6.1.0-" + kernel_, kernel_ == "good-b" ? Outcome::kFail : Outcome::kPass);
      return Ended(0, 0);
    }
    void Terminate() override { killed_ = true; }
    void Kill() override {
      owner_.log.push_back("kill " + kernel_);
      killed_ = true;
    }
    int Pid() const override { return 1; }

   private:
    os::ProcessResult Ended(int code, int signal) {
      os::ProcessResult r;
      r.exit_code = code;
      r.term_signal = signal;
      return r;
    }
    FakeGuests& owner_;
    std::string kernel_, console_, results_;
    Clock::TimePoint started_;
    bool booted_ = false, killed_ = false;
  };
};

KernelRunOptions Options(const Strings& kernels) {
  KernelRunOptions o;
  for (const auto& k : kernels) {
    guest::KernelSpec spec;
    spec.text = k;
    o.kernels.push_back(spec);
  }
  o.plan.filesystems = {"ext4", "xfs"};
  o.plan.cases = {{"append_write", 4096}, {"truncate_up", 4096}};
  o.timeout = std::chrono::seconds(60);
  return o;
}

struct Ran {
  std::vector<report::ConfigRecord> configs;
  double seconds;
  Strings log;
};

Ran RunGuests(const KernelRunOptions& options) {
  spdlog::set_level(spdlog::level::warn);
  testing::TempDir dir;
  FakeClock clock;
  FakeGuests guests(clock);
  report::MatrixReporter quiet;
  auto configs = RunKernels(options, dir.path(), guests, guests, quiet, clock, [] { return 0; });
  return {configs, std::chrono::duration<double>(clock.now.time_since_epoch()).count(), guests.log};
}

TEST(KernelRun, AGuestsReportIsItsKernelsRowsWithBootAndRunTimes) {
  auto ran = RunGuests(Options({"good-a"}));
  ASSERT_EQ(ran.configs.size(), 2u);
  const auto& ext4 = ran.configs[0];
  EXPECT_EQ(ext4.config.name, "6.1.0-good-a:ext4/4k");
  EXPECT_EQ(ran.configs[1].config.name, "6.1.0-good-a:xfs/4k");
  ASSERT_TRUE(ext4.guest);
  EXPECT_EQ(ext4.guest->kernel, "good-a");
  EXPECT_EQ(ext4.guest->release, "6.1.0-good-a");
  EXPECT_EQ(ext4.guest->origin, "fake good-a");
  EXPECT_NEAR(ext4.guest->boot_seconds, 2.0, 0.2);
  EXPECT_NEAR(ext4.guest->run_seconds, 10.0, 0.2);
  EXPECT_EQ(ext4.cases.size(), 2u);
  EXPECT_EQ(ext4.cases[0].outcome, Outcome::kPass);
}

TEST(KernelRun, AGuestThatPanicsIsAnErrorWithTheConsoleAtOnce) {
  auto ran = RunGuests(Options({"panic"}));
  ASSERT_EQ(ran.configs.size(), 2u);
  for (const auto& c : ran.configs) {
    EXPECT_EQ(c.config.name, "panic:" + c.config.fs + "/4k");
    EXPECT_NE(c.setup_error.find("the guest panicked: Kernel panic - not syncing"),
              std::string::npos)
        << c.setup_error;
    EXPECT_NE(c.setup_error.find("console: [    2.6] frame 18 | "), std::string::npos)
        << c.setup_error;
    EXPECT_NE(c.setup_error.find("| [    2.6] frame 29"), std::string::npos) << c.setup_error;
    ASSERT_EQ(c.cases.size(), 2u);
    for (const auto& r : c.cases) {
      EXPECT_EQ(r.outcome, Outcome::kError);
      EXPECT_TRUE(r.not_run);
    }
  }
  EXPECT_LT(ran.seconds, 1.0);
}

TEST(KernelRun, QemuRefusingTheKernelIsAnErrorQuotingQemu) {
  auto ran = RunGuests(Options({"not-a-kernel"}));
  ASSERT_EQ(ran.configs.size(), 2u);
  for (const auto& c : ran.configs) {
    EXPECT_EQ(c.setup_error,
              "kernel not-a-kernel: the guest wrote no report (QEMU exited 1: qemu-system-x86_64: "
              "warning: a warning first | qemu: linux kernel too old to load a ram disk)");
    for (const auto& r : c.cases)
      EXPECT_NE(r.summary.find("qemu: linux kernel too old to load a ram disk"), std::string::npos)
          << r.summary;
  }
}

TEST(KernelRun, AGuestThatHangsIsKilledAtTheTimeoutAndIsAnError) {
  auto ran = RunGuests(Options({"hang"}));
  ASSERT_EQ(ran.configs.size(), 2u);
  EXPECT_EQ(ran.configs[0].config.name, "6.1.0-hang:ext4/4k");
  EXPECT_NE(ran.configs[0].setup_error.find("did not finish within 60s and was killed"),
            std::string::npos)
      << ran.configs[0].setup_error;
  EXPECT_EQ(ran.configs[0].cases[0].outcome, Outcome::kError);
  EXPECT_EQ(ran.log, (Strings{"start hang", "kill hang"}));
  EXPECT_GE(ran.seconds, 60.0);
  EXPECT_LT(ran.seconds, 61.0);
}

TEST(KernelRun, AKernelThatCannotBeHadIsAnErrorAndTheOthersRun) {
  auto ran = RunGuests(Options({"missing", "good-a"}));
  ASSERT_EQ(ran.configs.size(), 4u);
  EXPECT_EQ(ran.configs[0].config.name, "missing:ext4/4k");
  EXPECT_EQ(ran.configs[0].setup_error,
            "kernel missing: could not be prepared: linux-image-missing: not found in sid");
  EXPECT_EQ(ran.configs[2].config.name, "6.1.0-good-a:ext4/4k");
}

TEST(KernelRun, GuestsRunInParallelUpToJ) {
  auto options = Options({"good-a", "good-b", "good-c"});
  options.parallel = 3;
  auto ran = RunGuests(options);
  EXPECT_EQ(ran.configs.size(), 6u);
  EXPECT_LT(ran.seconds, 13.0);  // one guest's time, not three
}

TEST(KernelRun, MergedShardsAreTheUnshardedTable) {
  const Strings kernels = {"good-a", "panic", "good-b", "hang", "good-c"};
  report::RunRecord whole;
  whole.configs = RunGuests(Options(kernels)).configs;
  for (std::size_t m : {2u, 3u, 5u}) {
    std::vector<NamedReport> shards;
    for (std::size_t k = 1; k <= m; ++k) {
      auto options = Options(kernels);
      options.kernels = guest::ShardSlice(options.kernels, guest::Shard{k, m});
      report::RunRecord shard;
      shard.command = "kernels";
      shard.shard = report::RunRecord::Shard{k, m, "kernels good-a,panic,good-b,hang,good-c"};
      shard.configs = RunGuests(options).configs;
      // Through the JSON report, as `report --merge` reads them.
      auto read = report::RunRecordFromJson(report::ToJson(shard));
      ASSERT_TRUE(read) << read.error();
      EXPECT_EQ(read->shard, shard.shard);
      shards.push_back({"k" + std::to_string(k) + ".json", *read});
    }
    const auto merged = MergeReports(shards);
    ASSERT_TRUE(merged) << merged.error();
    EXPECT_EQ(report::RenderTable(*merged, report::TableStyle::kText),
              report::RenderTable(whole, report::TableStyle::kText))
        << m << " shards";
    EXPECT_EQ(report::ToJson(*merged)["configurations"], report::ToJson(whole)["configurations"]);
    EXPECT_EQ(merged->shard, std::nullopt) << "the merge is the whole";
    EXPECT_EQ(MatrixExitStatus(*merged), MatrixExitStatus(whole)) << "the whole run's status";
  }
}

// The hostile round: `report --merge k1.json k1.json`, a run's report with a
// kernels shard, and a set with a slice missing all merged, exit 0.
TEST(KernelRun, OnlyEverySliceOfOneRunOnceMerges) {
  auto shard = [](std::size_t k, std::size_t m, const std::string& of, const char* kernel) {
    report::RunRecord r;
    r.command = "kernels";
    r.shard = report::RunRecord::Shard{k, m, of};
    report::ConfigRecord c;
    c.config = {"ext4", 4096, "", "", "", std::string(kernel) + ":ext4/4k"};
    c.guest = report::GuestInfo{kernel, "", kernel, 1, 2};
    r.configs.push_back(c);
    return r;
  };
  const std::string of = "kernels a,b --fs ext4 --case append_write";
  const NamedReport k1{"k1.json", shard(1, 2, of, "a")}, k2{"k2.json", shard(2, 2, of, "b")};
  EXPECT_TRUE(MergeReports({k1, k2}));
  EXPECT_EQ(MergeReports({k1, k1}).error(), "k1.json and k1.json are both shard 1/2: each slice once");
  EXPECT_EQ(MergeReports({k1}).error(),
            "shard 2/2 of 'kernels a,b --fs ext4 --case append_write' is missing: merge every slice");
  const NamedReport other{"o2.json", shard(2, 2, "kernels a,c --fs ext4 --case append_write", "c")};
  EXPECT_EQ(MergeReports({k1, other}).error(),
            "k1.json is shard 1/2 of 'kernels a,b --fs ext4 --case append_write', o2.json shard "
            "2/2 of 'kernels a,c --fs ext4 --case append_write': not the slices of one run");
  report::RunRecord run;
  run.configs.push_back({{"ext4", 4096, "mkfs.ext4", "", "/dev/loop0"}, "", {}});
  EXPECT_EQ(report::ReportKind(run), "run") << "a report from before \"command\" existed";
  EXPECT_EQ(MergeReports({k1, {"run.json", run}}).error(),
            "k1.json is a kernels report, run.json a run report: only reports of one kind merge");
  auto old_shard = k1.record;  // a kernels report from before shards were recorded
  old_shard.command.clear();
  old_shard.shard.reset();
  EXPECT_EQ(report::ReportKind(old_shard), "kernels");
  EXPECT_EQ(MergeReports({k1, {"old.json", old_shard}}).error(),
            "k1.json is shard 1/2 of a run, old.json is no shard: not the slices of one run");
  EXPECT_EQ(MergeReports({{"r1.json", run}, {"r2.json", run}}).error(),
            "configuration ext4 bs=4096 is in both r1.json and r2.json: the same results twice");
}

// A merge stands for the whole run: a failure anywhere is exit 1, an error 3.
TEST(KernelRun, AMergeExitsAsTheWholeRunWould) {
  auto with = [](oracles::Outcome outcome) {
    report::RunRecord r;
    r.command = "kernels";
    report::ConfigRecord c;
    c.config = {"ext4", 4096, "", "", "", "a:ext4/4k"};
    report::CaseRecord k;
    k.case_name = "append_write";
    k.outcome = outcome;
    c.cases.push_back(k);
    r.configs.push_back(c);
    return r;
  };
  auto merged = MergeReports({{"a.json", with(oracles::Outcome::kError)}});
  ASSERT_TRUE(merged);
  EXPECT_EQ(MatrixExitStatus(*merged), kExitToolError);
  merged = MergeReports({{"a.json", with(oracles::Outcome::kFail)}});
  EXPECT_EQ(MatrixExitStatus(*merged), kExitFail);
  merged = MergeReports({{"a.json", with(oracles::Outcome::kPass)}});
  EXPECT_EQ(MatrixExitStatus(*merged), kExitPass);
}

}  // namespace
}  // namespace eofzero::suite

namespace eofzero::suite {
namespace {

TEST(GuestRecords, AGuestWithoutAReportHasAnErrorRowPerFilesystemAndBlockSize) {
  GuestPlan plan;
  plan.filesystems = {"ext4", "xfs"};
  plan.cases = {{"append_write", 4096}, {"truncate_up_1k", 1024}, {"fallocate", 4096}};
  EXPECT_EQ(plan.Configurations(), 4u);
  GuestOutcome outcome{{"sid", "", "", 0, 0}, std::nullopt, "the guest panicked: x", "a\nb\n"};
  const auto records = GuestRecords(outcome, plan);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].config.name, "sid:ext4/1k");
  EXPECT_EQ(records[1].config.name, "sid:ext4/4k");
  EXPECT_EQ(records[3].config.name, "sid:xfs/4k");
  ASSERT_EQ(records[0].cases.size(), 1u);
  EXPECT_EQ(records[0].cases[0].case_name, "truncate_up_1k");
  EXPECT_EQ(records[1].cases.size(), 2u);
  EXPECT_EQ(records[1].setup_error, "kernel sid: the guest panicked: x; console: a | b");
}

}  // namespace
}  // namespace eofzero::suite
