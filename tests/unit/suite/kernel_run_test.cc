#include "suite/kernel_run.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "guest/initramfs.h"
#include "report/json_report.h"
#include "report/selftest_json.h"
#include "report/table.h"
#include "suite/exit_status.h"
#include "suite/guest_records.h"
#include "suite/guest_selftest.h"
#include "suite/selftest.h"
#include "suite/fake_clock.h"
#include "temp_dir.h"

namespace eofzero::suite {
namespace {

using oracles::Outcome;
using Strings = std::vector<std::string>;

using test::FakeClock;

// The plan the fake guests run: two filesystems, two cases at 4k, one at 1k.
GuestPlan Plan() {
  GuestPlan plan;
  plan.filesystems = {"ext4", "xfs"};
  plan.cases = {{"append_write", 4096}, {"truncate_up", 4096}, {"truncate_up_1k", 1024}};
  return plan;
}

// One run's report as eofzero in the guest would write it: append_write
// fails on xfs for kernels "good-b*".
std::string GuestReport(const std::string& release, const GuestConfig& config, bool fail_xfs) {
  report::RunRecord r;
  r.kernel = release + " x86_64";
  report::ConfigRecord c;
  c.config.fs = config.fs;
  c.config.block_size = config.block_size;
  for (const auto& planned : Plan().cases) {
    if (planned.block_size != config.block_size) continue;
    report::CaseRecord cr;
    cr.case_name = planned.name;
    cr.outcome = planned.name == "append_write" && config.fs == "xfs" && fail_xfs ? Outcome::kFail
                                                                                  : Outcome::kPass;
    c.cases.push_back(cr);
  }
  r.configs.push_back(c);
  return report::ToJson(r).dump();
}

// A guest's self-test on one configuration: every row detected but fsck's.
std::string SelftestDocument(const GuestConfig& config) {
  report::SelftestDocument doc;
  doc.table.columns = {config.fs + "/4k"};
  doc.table.column_info = {{config.fs, config.block_size, ""}};
  for (const auto& label : SelftestRowLabels())
    doc.table.rows.push_back(
        {label, {label == "fsck (after crash)" ? "skip" : "yes"}, "control", {"why"}});
  return report::RenderSelftestJson(doc);
}

// Kernels named "good-*" boot after 2 s and report after 5 s more per run
// ("good-half-*" reports its first run only); "panic" prints a panic and
// ends; "hang" boots and never ends. Under KVM (the probe) "kvm-*" kernels
// boot and power off after 1 s, the others never boot; the guests that
// follow run as under TCG.
class FakeGuests : public GuestPreparer, public WorkerLauncher {
 public:
  FakeClock& clock;
  Strings log;
  // The guests run the self-test: each run writes a self-test document, its
  // fsck row skipped.
  bool selftest = false;
  explicit FakeGuests(FakeClock& c) : clock(c) {}

  os::Result<PreparedGuest> Prepare(const guest::KernelSpec& kernel,
                                    const std::filesystem::path& dir) override {
    if (kernel.text == "missing")
      return os::Fail(os::ErrorKind::kInvalid, "linux-image-missing: not found in sid");
    log.push_back("prepare " + kernel.text);
    PreparedGuest p;
    p.origin = "fake " + kernel.text;
    p.machine.kernel = kernel.text;
    p.machine.console = dir / "console.log";
    p.machine.scratch_image = dir / "scratch.img";
    p.machine.results_image = dir / "results.img";
    return p;
  }

  os::Status MakeDisks(const guest::GuestMachine& machine) override {
    std::ofstream(machine.results_image) << std::string(64, '\0');
    return {};
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
    const bool kvm = at("-accel") == "kvm";
    std::vector<std::size_t> runs;
    const std::string append = at("-append");
    const bool probe = append.find(guest::kProbeWord) != std::string::npos;
    if (probe) {
      EXPECT_TRUE(kvm);
      log.push_back("probe " + kernel);
    } else {
      const auto word = append.find("eofzero.runs=");
      EXPECT_NE(word, std::string::npos) << append;
      std::istringstream list(append.substr(word + 13, append.find(' ', word) - word - 13));
      for (std::string k; std::getline(list, k, ',');) runs.push_back(std::stoul(k));
      log.push_back("start " + kernel + " " +
                    append.substr(word + 13, append.find(' ', word) - word - 13) +
                    (kvm ? " under kvm" : ""));
    }
    return std::make_unique<Guest>(*this, kernel, console, results, clock.Now(), probe, runs);
  }

 private:
  class Guest : public Worker {
   public:
    Guest(FakeGuests& owner, std::string kernel, std::string console, std::string results,
          Clock::TimePoint started, bool probe, std::vector<std::size_t> runs)
        : owner_(owner),
          kernel_(kernel),
          console_(console),
          results_(results),
          started_(started),
          probe_(probe),
          runs_(std::move(runs)) {}
    std::optional<os::ProcessResult> Poll() override {
      if (killed_) return Ended(-1, SIGKILL);
      const double t = std::chrono::duration<double>(owner_.clock.Now() - started_).count();
      if (probe_) {
        if (!kernel_.starts_with("kvm-")) return std::nullopt;
        if (t < 1) return std::nullopt;
        std::ofstream(console_) << guest::kBootedMark << "6.1.0-" << kernel_ << "\r\n";
        return Ended(0, 0);
      }
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
      if (kernel_ == "hang" || t < 2 + 5.0 * static_cast<double>(runs_.size())) return std::nullopt;
      std::fstream results(results_, std::ios::in | std::ios::out | std::ios::binary);
      const auto configs = Plan().ConfigList();
      for (std::size_t i = 0; i < runs_.size(); ++i) {
        if (owner_.selftest)
          results << SelftestDocument(SelftestPlan({"ext4", "xfs"}, 4096).ConfigList()[runs_[i] - 1]);
        else if (i == 0 || !kernel_.starts_with("good-half"))
          results << GuestReport("6.1.0-" + kernel_, configs[runs_[i] - 1],
                                 kernel_.starts_with("good-b"));
        results << '\0';
      }
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
    bool probe_;
    std::vector<std::size_t> runs_;
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
  o.plan = Plan();
  o.timeout = std::chrono::seconds(60);
  return o;
}

struct Ran {
  std::vector<report::ConfigRecord> configs;
  double seconds;
  Strings log;
  Strings notes;
};

Ran RunGuests(KernelRunOptions options, double interrupt_at = -1) {
  spdlog::set_level(spdlog::level::warn);
  testing::TempDir dir;
  FakeClock clock;
  FakeGuests guests(clock);
  guests.selftest = options.selftest;
  report::MatrixReporter quiet;
  Strings notes;
  options.note = [&](const std::string& note) { notes.push_back(note); };
  auto interrupt = [&] {
    const double t = std::chrono::duration<double>(clock.now.time_since_epoch()).count();
    return interrupt_at >= 0 && t >= interrupt_at ? SIGINT : 0;
  };
  auto configs = RunKernels(options, dir.path(), guests, guests, quiet, clock, interrupt);
  return {configs, std::chrono::duration<double>(clock.now.time_since_epoch()).count(), guests.log,
          notes};
}

TEST(KernelRun, AGuestsReportIsItsKernelsRowsWithBootAndRunTimes) {
  auto ran = RunGuests(Options({"good-a"}));
  ASSERT_EQ(ran.configs.size(), 4u);
  const auto& ext4 = ran.configs[1];
  EXPECT_EQ(ran.configs[0].config.name, "6.1.0-good-a:ext4/1k");
  EXPECT_EQ(ext4.config.name, "6.1.0-good-a:ext4/4k");
  EXPECT_EQ(ran.configs[3].config.name, "6.1.0-good-a:xfs/4k");
  ASSERT_TRUE(ext4.guest);
  EXPECT_EQ(ext4.guest->kernel, "good-a");
  EXPECT_EQ(ext4.guest->release, "6.1.0-good-a");
  EXPECT_EQ(ext4.guest->origin, "fake good-a");
  EXPECT_EQ(ext4.guest->accel, "tcg");
  EXPECT_EQ(ext4.guest->accel_note, "");
  EXPECT_NEAR(ext4.guest->boot_seconds, 2.0, 0.2);
  EXPECT_NEAR(ext4.guest->run_seconds, 20.0, 0.2);
  EXPECT_EQ(ext4.cases.size(), 2u);
  EXPECT_EQ(ext4.cases[0].outcome, Outcome::kPass);
  EXPECT_EQ(ran.log, (Strings{"prepare good-a", "start good-a 1,2,3,4"})) << "one guest at -j 1";
  EXPECT_TRUE(ran.notes.empty());
}

// kernels --selftest: each guest's self-test documents are its rows; a guest
// that panics is an ERROR row per configuration, as for runs.
TEST(KernelRun, SelftestGuestsDocumentsAreTheirRowsAndAPanicIsAnErrorPerConfiguration) {
  auto options = Options({"good-a", "panic"});
  options.selftest = true;
  options.plan = SelftestPlan({"ext4", "xfs"}, 4096);
  auto ran = RunGuests(options);
  ASSERT_EQ(ran.configs.size(), 4u);
  EXPECT_EQ(ran.configs[0].config.name, "6.1.0-good-a:ext4/4k");
  EXPECT_EQ(ran.configs[1].config.name, "6.1.0-good-a:xfs/4k");
  for (int i : {0, 1}) {
    EXPECT_EQ(ran.configs[i].setup_error, "");
    ASSERT_EQ(ran.configs[i].cases.size(), SelftestRowLabels().size());
    for (const auto& r : ran.configs[i].cases)
      EXPECT_EQ(r.outcome, r.case_name == "fsck (after crash)" ? Outcome::kSkip : Outcome::kPass)
          << r.case_name;
  }
  for (int i : {2, 3}) {
    EXPECT_NE(ran.configs[i].setup_error.find("the guest panicked"), std::string::npos);
    EXPECT_EQ(ran.configs[i].cases.size(), SelftestRowLabels().size());
  }
  report::RunRecord record;
  record.configs = ran.configs;
  EXPECT_EQ(KernelsSelftestExitStatus(record), kExitToolError);
  record.configs.resize(2);
  EXPECT_EQ(KernelsSelftestExitStatus(record), kExitPass);
}

TEST(KernelRun, AGuestThatPanicsIsAnErrorWithTheConsoleAtOnce) {
  auto ran = RunGuests(Options({"panic"}));
  ASSERT_EQ(ran.configs.size(), 4u);
  for (const auto& c : ran.configs) {
    EXPECT_TRUE(c.config.name == "panic:" + c.config.fs + "/4k" ||
                c.config.name == "panic:" + c.config.fs + "/1k")
        << c.config.name;
    EXPECT_NE(c.setup_error.find("the guest panicked: Kernel panic - not syncing"),
              std::string::npos)
        << c.setup_error;
    EXPECT_NE(c.setup_error.find("console: [    2.6] frame 18 | "), std::string::npos)
        << c.setup_error;
    EXPECT_NE(c.setup_error.find("| [    2.6] frame 29"), std::string::npos) << c.setup_error;
    ASSERT_EQ(c.cases.size(), c.config.block_size == 4096 ? 2u : 1u);
    for (const auto& r : c.cases) {
      EXPECT_EQ(r.outcome, Outcome::kError);
      EXPECT_TRUE(r.not_run);
    }
  }
  EXPECT_LT(ran.seconds, 1.0);
}

TEST(KernelRun, QemuRefusingTheKernelIsAnErrorQuotingQemu) {
  auto ran = RunGuests(Options({"not-a-kernel"}));
  ASSERT_EQ(ran.configs.size(), 4u);
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
  ASSERT_EQ(ran.configs.size(), 4u);
  EXPECT_EQ(ran.configs[1].config.name, "6.1.0-hang:ext4/4k");
  EXPECT_NE(ran.configs[1].setup_error.find("did not finish within 60s and was killed"),
            std::string::npos)
      << ran.configs[1].setup_error;
  EXPECT_EQ(ran.configs[1].cases[0].outcome, Outcome::kError);
  EXPECT_EQ(ran.log, (Strings{"prepare hang", "start hang 1,2,3,4", "kill hang"}));
  EXPECT_GE(ran.seconds, 60.0);
  EXPECT_LT(ran.seconds, 61.0);
}

TEST(KernelRun, AKernelThatCannotBeHadIsAnErrorAndTheOthersRun) {
  auto ran = RunGuests(Options({"missing", "good-a"}));
  ASSERT_EQ(ran.configs.size(), 8u);
  EXPECT_EQ(ran.configs[1].config.name, "missing:ext4/4k");
  EXPECT_EQ(ran.configs[1].setup_error,
            "kernel missing: could not be prepared: linux-image-missing: not found in sid");
  EXPECT_EQ(ran.configs[5].config.name, "6.1.0-good-a:ext4/4k");
}

TEST(KernelRun, GuestsRunInParallelUpToJ) {
  auto options = Options({"good-a", "good-b", "good-c"});
  options.parallel = 4;
  auto ran = RunGuests(options);
  EXPECT_EQ(ran.configs.size(), 12u);
  // Each kernel's four configurations in four guests, four guests at once.
  EXPECT_NEAR(ran.seconds, 3 * 7.0, 0.5);
  options.parallel = 1;
  EXPECT_NEAR(RunGuests(options).seconds, 3 * 22.0, 0.5);
}

TEST(KernelRun, AKernelsConfigurationsRunSideBySideInGuestsOfTheirOwn) {
  auto options = Options({"good-a"});
  options.parallel = 2;
  auto ran = RunGuests(options);
  // ext4/1k, ext4/4k, xfs/1k, xfs/4k: a 4k and a 1k configuration per guest.
  EXPECT_EQ(ran.log, (Strings{"prepare good-a", "start good-a 1,2", "start good-a 3,4"}))
      << "prepared once, two guests";
  EXPECT_NEAR(ran.seconds, 12.0, 0.3) << "the larger guest's time, not the sum";
  ASSERT_EQ(ran.configs.size(), 4u);
  for (const auto& c : ran.configs) {
    ASSERT_TRUE(c.guest);
    EXPECT_NEAR(c.guest->boot_seconds, 2.0, 0.2) << "the kernel's slowest boot";
    EXPECT_NEAR(c.guest->run_seconds, 10.0, 0.3) << "the rest of the kernel's time";
  }
  EXPECT_EQ(ran.configs[0].guest, ran.configs[3].guest) << "one line per kernel";
}

// The same kernel's rows, in the same order, with the same verdicts, exit
// status and errors whatever the number of guests; only times differ.
TEST(KernelRun, ParallelGuestsGiveTheRowsOfOneGuest) {
  auto without_times = [](std::vector<report::ConfigRecord> configs) {
    report::RunRecord r;
    for (auto& c : configs) {
      if (c.guest) c.guest->boot_seconds = c.guest->run_seconds = 0;
      r.configs.push_back(c);
    }
    return r;
  };
  for (const char* kernel : {"good-a", "good-b", "panic", "hang", "missing", "not-a-kernel"}) {
    auto options = Options({kernel});
    options.parallel = 1;
    const auto one = without_times(RunGuests(options).configs);
    for (unsigned parallel : {2u, 3u, 4u, 8u}) {
      options.parallel = parallel;
      const auto many = without_times(RunGuests(options).configs);
      EXPECT_EQ(report::ToJson(many)["configurations"], report::ToJson(one)["configurations"])
          << kernel << " -j " << parallel;
      EXPECT_EQ(MatrixExitStatus(many), MatrixExitStatus(one)) << kernel << " -j " << parallel;
    }
  }
}

TEST(KernelRun, ARunThatWroteNoReportIsItsOwnErrorRowsOnly) {
  auto ran = RunGuests(Options({"good-half-a"}));
  ASSERT_EQ(ran.configs.size(), 4u);
  EXPECT_EQ(ran.configs[0].setup_error, "") << "the first run reported";
  EXPECT_EQ(ran.configs[0].cases[0].outcome, Outcome::kPass);
  for (std::size_t i = 1; i < 4; ++i) {
    EXPECT_EQ(ran.configs[i].setup_error,
              "kernel good-half-a: the guest wrote no report (QEMU exited 0); console: "
              "eofzero-guest: booted 6.1.0-good-half-a")
        << i;
    EXPECT_EQ(ran.configs[i].cases[0].outcome, Outcome::kError);
  }
}

TEST(KernelRun, KvmWhenTheProbeBootsAndTheAnswerIsKept) {
  testing::TempDir cache;
  auto options = Options({"kvm-a"});
  options.accel.try_kvm = true;
  options.accel.cache = cache.path() / "accel";
  options.accel.host_release = "6.18 x86_64";
  options.accel.qemu_version = "QEMU 7.2";
  auto ran = RunGuests(options);
  EXPECT_EQ(ran.log, (Strings{"prepare kvm-a", "probe kvm-a", "start kvm-a 1,2,3,4 under kvm"}));
  ASSERT_EQ(ran.configs.size(), 4u);
  EXPECT_EQ(ran.configs[0].guest->accel, "kvm");
  EXPECT_EQ(ran.configs[0].guest->accel_note, "");
  EXPECT_TRUE(ran.notes.empty());
  EXPECT_EQ(ran.configs[0].setup_error, "");
  // Asked once: the next run reads the answer.
  ran = RunGuests(options);
  EXPECT_EQ(ran.log, (Strings{"prepare kvm-a", "start kvm-a 1,2,3,4 under kvm"}));
  EXPECT_EQ(ran.configs[0].guest->accel, "kvm");
  // Another QEMU is another question.
  options.accel.qemu_version = "QEMU 8.2";
  EXPECT_EQ(RunGuests(options).log,
            (Strings{"prepare kvm-a", "probe kvm-a", "start kvm-a 1,2,3,4 under kvm"}));
}

TEST(KernelRun, AProbeThatDoesNotBootIsKilledAtItsTimeoutAndTheGuestsRunUnderTcg) {
  testing::TempDir cache;
  auto options = Options({"good-a"});
  options.accel.try_kvm = true;
  options.accel.cache = cache.path() / "accel";
  options.accel.timeout = std::chrono::seconds(10);
  auto ran = RunGuests(options);
  EXPECT_EQ(ran.log,
            (Strings{"prepare good-a", "probe good-a", "kill good-a", "start good-a 1,2,3,4"}));
  EXPECT_NEAR(ran.seconds, 10.0 + 22.0, 0.5) << "the probe's timeout, then the guest";
  EXPECT_EQ(ran.notes, (Strings{"kernel good-a: KVM not used (KVM did not boot within 10s): TCG"}));
  ASSERT_EQ(ran.configs.size(), 4u);
  EXPECT_EQ(ran.configs[0].guest->accel, "tcg");
  EXPECT_EQ(ran.configs[0].guest->accel_note, "KVM did not boot within 10s");
  EXPECT_EQ(ran.configs[0].cases[0].outcome, Outcome::kPass);
  // Kept: the next run does not wait for it again, and still says so.
  ran = RunGuests(options);
  EXPECT_EQ(ran.log, (Strings{"prepare good-a", "start good-a 1,2,3,4"}));
  EXPECT_EQ(ran.notes, (Strings{"kernel good-a: KVM not used (KVM did not boot within 10s; "
                                "probed earlier): TCG"}));
  EXPECT_EQ(ran.configs[0].guest->accel_note, "KVM did not boot within 10s");
}

TEST(KernelRun, AnInterruptDuringTheProbeKillsItAndStartsNoGuest) {
  testing::TempDir cache;
  auto options = Options({"good-a"});
  options.parallel = 2;
  options.accel.try_kvm = true;
  options.accel.cache = cache.path() / "accel";
  auto ran = RunGuests(options, 3.0);
  EXPECT_EQ(ran.log, (Strings{"prepare good-a", "probe good-a", "kill good-a"}));
  EXPECT_TRUE(ran.notes.empty());
  ASSERT_EQ(ran.configs.size(), 4u);
  for (const auto& c : ran.configs)
    for (const auto& r : c.cases) {
      EXPECT_EQ(r.outcome, Outcome::kError);
      EXPECT_TRUE(r.not_run);
    }
  EXPECT_FALSE(std::filesystem::exists(options.accel.cache)) << "no answer kept";
}

TEST(KernelRun, WithoutKvmNoProbeRuns) {
  auto options = Options({"kvm-a"});
  options.accel.try_kvm = true;
  options.accel.kvm_unusable = "open /dev/kvm: No such file or directory";
  auto ran = RunGuests(options);
  EXPECT_EQ(ran.log, (Strings{"prepare kvm-a", "start kvm-a 1,2,3,4"}));
  EXPECT_EQ(ran.notes, (Strings{"kernel kvm-a: KVM not used (open /dev/kvm: No such file or "
                                "directory): TCG"}));
  EXPECT_EQ(ran.configs[0].guest->accel, "tcg");
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
  GuestOutcome outcome{{"sid", "", "", 0, 0}, {}, "the guest panicked: x", "a\nb\n"};
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
