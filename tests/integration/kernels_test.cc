// `eofzero kernels` booting a real Debian kernel under QEMU (TCG). The kernel
// is $EOFZERO_TEST_KERNEL (default: bookworm's), from the cache in
// $EOFZERO_KERNEL_CACHE (default /var/cache/eofzero/kernels), fetched into it
// when missing. Skipped, saying why, without root, without QEMU or busybox,
// or when the kernel package cannot be had (no mirror). A guest that panics
// and one that hangs (made so with kernel command-line words) must each end
// as ERROR rows within the timeout. The verdicts of the cases are never
// checked: they are that kernel's.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "guest/qemu.h"
#include "harness.h"
#include "os/process.h"
#include "report/json_report.h"
#include "report/selftest_json.h"

namespace eofzero::itest {
namespace {

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

struct KernelRun {
  Ran ran;
  report::RunRecord record;
  double seconds = 0;
};

class Kernels : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_ROOT();
    for (const char* program : {"qemu-system-x86_64", "busybox"})
      if (!os::ProgramExists(program))
        GTEST_SKIP() << program
                     << " is not installed (scripts/setup-deps installs qemu-system-x86 and "
                        "busybox-static)";
  }

  // Runs `eofzero kernels` on ext4 with the default suite, plus `extra`.
  KernelRun Run(const std::vector<std::string>& extra,
                const std::string& kernel = EnvOr("EOFZERO_TEST_KERNEL", "bookworm"),
                const std::string& fs = "ext4") {
    std::vector<std::string> args = {"kernels",
                                     "--kernel",
                                     kernel,
                                     "--cache-dir",
                                     EnvOr("EOFZERO_KERNEL_CACHE", "/var/cache/eofzero/kernels"),
                                     "--workdir",
                                     wd_.str(),
                                     "--fs",
                                     fs,
                                     "--format",
                                     "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto start = std::chrono::steady_clock::now();
    KernelRun run;
    run.ran = RunEofzeroWithTimeout(args, 900);
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    auto record =
        report::RunRecordFromJson(nlohmann::ordered_json::parse(run.ran.out, nullptr, false));
    if (record) run.record = *record;
    return run;
  }

  // True (and the test skipped) when the kernel could not be had.
  bool KernelUnavailable(const KernelRun& run) {
    for (const auto& c : run.record.configs)
      if (c.setup_error.find("could not be prepared") != std::string::npos) return true;
    return false;
  }

  // `kernels --selftest --keep` on `fs` (plus `extra`), and the guest's own
  // self-test document as it wrote it onto its results disk (nullopt, the
  // test failed, when there is none; `unavailable` when the kernel could not
  // be had). The kept folder is removed.
  struct GuestSelftest {
    Ran ran;
    bool unavailable = false;
    std::optional<report::SelftestDocument> doc;
  };
  GuestSelftest SelftestInGuest(const std::string& fs, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {
        "kernels", "--kernel", EnvOr("EOFZERO_TEST_KERNEL", "bookworm"), "--cache-dir",
        EnvOr("EOFZERO_KERNEL_CACHE", "/var/cache/eofzero/kernels"), "--workdir", wd_.str(),
        "--fs", fs, "--selftest", "--timeout", "600", "--keep"};
    args.insert(args.end(), extra.begin(), extra.end());
    GuestSelftest g;
    g.ran = RunEofzeroWithTimeout(args, 900);
    EXPECT_FALSE(g.ran.timed_out);
    g.unavailable = g.ran.out.find("could not be prepared") != std::string::npos;
    if (g.ran.timed_out || g.unavailable) return g;
    const auto kept = RunFoldersUnder(wd_.path());
    EXPECT_EQ(kept.size(), 1u) << g.ran.out << g.ran.err;
    if (kept.size() != 1) return g;
    auto written =
        guest::ReadResults(std::filesystem::path(kept[0]) / "kernel-1" / "results.img", 1);
    EXPECT_TRUE(written) << written.error().Message();
    if (written) {
      auto doc = report::SelftestFromJson((*written)[0]);
      EXPECT_TRUE(doc) << doc.error() << "\n" << g.ran.out << g.ran.err;
      if (doc) g.doc = std::move(*doc);
    }
    std::filesystem::remove_all(kept[0]);
    return g;
  }

  Workdir wd_;
};

TEST_F(Kernels, BootsADebianKernelAndRunsTheDefaultSuiteInIt) {
  auto run = Run({"--timeout", "600"});
  ASSERT_FALSE(run.ran.timed_out);
  if (KernelUnavailable(run))
    GTEST_SKIP() << "the kernel package cannot be had: " << run.record.configs[0].setup_error;
  ASSERT_TRUE(run.ran.exit_code == 0 || run.ran.exit_code == 1) << run.ran.exit_code << "\n"
                                                                << run.ran.out << run.ran.err;
  ASSERT_EQ(run.record.configs.size(), 1u) << run.ran.out;
  const auto& c = run.record.configs[0];
  ASSERT_TRUE(c.guest);
  EXPECT_FALSE(c.guest->release.empty());
  EXPECT_EQ(c.config.name, c.guest->release + ":ext4/4k");
  EXPECT_GT(c.guest->boot_seconds, 0);
  EXPECT_GT(c.guest->run_seconds, 0);
  EXPECT_NE(c.config.device.find("/dev/vd"), std::string::npos) << c.config.device;
  EXPECT_EQ(c.cases.size(), 3u);
  for (const auto& r : c.cases) EXPECT_NE(r.outcome, oracles::Outcome::kError) << r.summary;
  ExpectNothingLeft(wd_);
}

// f2fs, which the host kernel may lack, in a guest of a kernel that has it
// as a module: the driver's module and tools reach the guest, and every
// oracle path runs (the plant, the shutdown, fsck.f2fs on both views,
// dump.f2fs as the offline reader). Whatever the verdicts are: a case that
// plants is a PASS or a FAIL, never an ERROR; the 1k case is a SKIP that
// says why.
TEST_F(Kernels, F2fsRunsInAGuestWithItsDriversModuleAndTools) {
  auto run = Run({"--case", "mmap_write_then_extend,truncate_up,truncate_up_1k,append_write_nowait",
                  "--timeout", "600"},
                 EnvOr("EOFZERO_TEST_KERNEL", "bookworm"), "f2fs");
  ASSERT_FALSE(run.ran.timed_out);
  if (KernelUnavailable(run))
    GTEST_SKIP() << "the kernel package cannot be had: " << run.record.configs[0].setup_error;
  ASSERT_TRUE(run.ran.exit_code == 0 || run.ran.exit_code == 1) << run.ran.exit_code << "\n"
                                                                << run.ran.out << run.ran.err;
  const auto json = nlohmann::ordered_json::parse(run.ran.out, nullptr, false);
  ASSERT_FALSE(json.is_discarded());
  std::set<std::string> seen;
  for (const auto& c : json["configurations"]) {
    EXPECT_EQ(c["fs"], "f2fs");
    for (const auto& r : c["cases"]) {
      const std::string name = r["case"];
      seen.insert(name);
      if (name == "truncate_up_1k") {
        EXPECT_EQ(r["verdict"], "SKIP");
        EXPECT_NE(r["reason"].get<std::string>().find("F2FS_BLKSIZE"), std::string::npos) << r["reason"];
        continue;
      }
      // RWF_NOWAIT on a buffered write: a SKIP where the filesystem has no
      // non-blocking buffered writes (f2fs answers EINVAL), never an ERROR.
      if (name == "append_write_nowait") {
        EXPECT_NE(r["verdict"], "ERROR") << r["reason"];
        continue;
      }
      EXPECT_TRUE(r["verdict"] == "PASS" || r["verdict"] == "FAIL") << name << ": " << r["reason"];
      std::set<std::string> oracles;
      for (const auto& o : r["oracles"]) oracles.insert(o["oracle"].get<std::string>() + "/" + o["phase"].get<std::string>());
      for (const char* o : {"offline/after crash", "raw-device/after crash", "buffered-read/after crash"})
        EXPECT_TRUE(oracles.contains(o)) << name << " has no " << o << " read";
      ASSERT_FALSE(r["fsck"].empty()) << name;
      EXPECT_EQ(r["fsck"][0]["tool"], "fsck.f2fs");
      EXPECT_NE(r["fsck"][0]["verdict"], "tool error") << r["fsck"][0];
      EXPECT_EQ(r["disk_views"]["disk"]["fsck"]["tool"], "fsck.f2fs") << name;
    }
  }
  EXPECT_EQ(seen, (std::set<std::string>{"mmap_write_then_extend", "truncate_up", "truncate_up_1k",
                                          "append_write_nowait"}));
  ExpectNothingLeft(wd_);
}

// A kernel's configurations in guests side by side: the same rows, verdicts
// and exit status as one guest running them in turn (whatever they are).
TEST_F(Kernels, ConfigurationsSideBySideGiveTheVerdictsOfOneGuest) {
  const std::vector<std::string> two = {"--case", "append_write,append_write_1k", "--timeout",
                                        "600"};
  auto with = [&](const char* jobs) {
    auto args = two;
    args.insert(args.end(), {"-j", jobs});
    return Run(args);
  };
  auto one = with("1");
  ASSERT_FALSE(one.ran.timed_out);
  if (KernelUnavailable(one))
    GTEST_SKIP() << "the kernel package cannot be had: " << one.record.configs[0].setup_error;
  auto side_by_side = with("2");
  ASSERT_FALSE(side_by_side.ran.timed_out);
  EXPECT_EQ(side_by_side.ran.exit_code, one.ran.exit_code) << one.ran.err << side_by_side.ran.err;
  ASSERT_EQ(one.record.configs.size(), 2u) << one.ran.out;
  ASSERT_EQ(side_by_side.record.configs.size(), 2u) << side_by_side.ran.out;
  for (std::size_t i = 0; i < 2; ++i) {
    const auto &a = one.record.configs[i], &b = side_by_side.record.configs[i];
    EXPECT_EQ(a.config.name, b.config.name);
    EXPECT_EQ(a.setup_error, b.setup_error);
    ASSERT_EQ(a.cases.size(), b.cases.size()) << a.config.name;
    for (std::size_t k = 0; k < a.cases.size(); ++k) {
      EXPECT_EQ(a.cases[k].case_name, b.cases[k].case_name);
      EXPECT_EQ(a.cases[k].outcome, b.cases[k].outcome) << a.cases[k].case_name;
      EXPECT_EQ(a.cases[k].not_run, b.cases[k].not_run) << a.cases[k].case_name;
    }
    ASSERT_TRUE(a.guest && b.guest);
    EXPECT_EQ(a.guest->release, b.guest->release);
    EXPECT_EQ(a.guest->accel, b.guest->accel);
  }
  EXPECT_EQ(one.record.configs[0].config.block_size, 1024u) << "the table's order";
  ExpectNothingLeft(wd_);
}

// KVM where a real boot under it works, else TCG with one line saying why
// (the probe's answer kept in the cache): whatever KVM does on this host.
TEST_F(Kernels, KvmOnlyWhenAProbeBootWorksElseTcgWithANote) {
  auto run = Run({"--case", "append_write", "--timeout", "600"});
  ASSERT_FALSE(run.ran.timed_out);
  if (KernelUnavailable(run))
    GTEST_SKIP() << "the kernel package cannot be had: " << run.record.configs[0].setup_error;
  ASSERT_EQ(run.record.configs.size(), 1u) << run.ran.out << run.ran.err;
  const auto& guest = run.record.configs[0].guest;
  ASSERT_TRUE(guest);
  const bool kvm_usable = os::CheckReadWrite("/dev/kvm").has_value();
  if (guest->accel == "kvm") {
    EXPECT_TRUE(kvm_usable);
    EXPECT_EQ(guest->accel_note, "");
    EXPECT_EQ(run.ran.err.find("KVM not used"), std::string::npos) << run.ran.err;
  } else {
    EXPECT_EQ(guest->accel, "tcg");
    EXPECT_FALSE(guest->accel_note.empty());
    const std::string note = "eofzero: kernel " + EnvOr("EOFZERO_TEST_KERNEL", "bookworm") +
                             ": KVM not used (" + guest->accel_note;
    EXPECT_NE(run.ran.err.find(note), std::string::npos) << run.ran.err;
  }
  if (kvm_usable) {  // asked once, then kept
    const auto accel = std::filesystem::path(
                           EnvOr("EOFZERO_KERNEL_CACHE", "/var/cache/eofzero/kernels")) /
                       "accel";
    std::error_code ec;
    EXPECT_FALSE(std::filesystem::is_empty(accel, ec)) << accel;
    EXPECT_FALSE(ec) << accel;
  }
  EXPECT_TRUE(run.ran.exit_code == 0 || run.ran.exit_code == 1) << run.ran.err;
}

TEST_F(Kernels, AGuestThatPanicsIsAnErrorWithItsConsoleBeforeTheTimeout) {
  // No init: the kernel looks for a root filesystem, finds none and panics.
  auto run = Run({"--timeout", "600", "--append", "rdinit=/no-such-init"});
  ASSERT_FALSE(run.ran.timed_out);
  if (KernelUnavailable(run))
    GTEST_SKIP() << "the kernel package cannot be had: " << run.record.configs[0].setup_error;
  EXPECT_EQ(run.ran.exit_code, 3) << run.ran.out << run.ran.err;
  ASSERT_EQ(run.record.configs.size(), 1u) << run.ran.out;
  const auto& c = run.record.configs[0];
  EXPECT_NE(c.setup_error.find("the guest panicked: Kernel panic"), std::string::npos)
      << c.setup_error;
  EXPECT_NE(c.setup_error.find("console: "), std::string::npos);
  for (const auto& r : c.cases) EXPECT_EQ(r.outcome, oracles::Outcome::kError);
  EXPECT_LT(run.seconds, 600);
}

TEST_F(Kernels, AGuestThatHangsIsKilledAtTheTimeoutAndIsAnError) {
  // A shell as init waits for console input that never comes.
  auto run = Run({"--timeout", "30", "--append", "rdinit=/bin/sh"});
  ASSERT_FALSE(run.ran.timed_out);
  if (KernelUnavailable(run))
    GTEST_SKIP() << "the kernel package cannot be had: " << run.record.configs[0].setup_error;
  EXPECT_EQ(run.ran.exit_code, 3) << run.ran.out << run.ran.err;
  ASSERT_EQ(run.record.configs.size(), 1u) << run.ran.out;
  const auto& c = run.record.configs[0];
  EXPECT_NE(c.setup_error.find("did not finish within 30s and was killed"), std::string::npos)
      << c.setup_error;
  for (const auto& r : c.cases) EXPECT_EQ(r.outcome, oracles::Outcome::kError);
  EXPECT_LT(run.seconds, 30 + 120);  // the timeout, and preparing the guest
  ExpectNothingLeft(wd_);
}

TEST_F(Kernels, AFileThatIsNoKernelIsAnErrorQuotingQemu) {
  const auto not_a_kernel = wd_.path() / "some.bin";
  std::ofstream(not_a_kernel) << std::string(100000, 'x');
  auto run = Run({"--timeout", "120"}, not_a_kernel.string());
  ASSERT_FALSE(run.ran.timed_out);
  EXPECT_EQ(run.ran.exit_code, 3) << run.ran.out << run.ran.err;
  ASSERT_FALSE(run.record.configs.empty()) << run.ran.out << run.ran.err;
  for (const auto& c : run.record.configs) {
    // QEMU's own words, whatever they are in this version, not just its exit.
    const std::string quoted = "the guest wrote no report (QEMU exited 1: ";
    const auto at = c.setup_error.find(quoted);
    ASSERT_NE(at, std::string::npos) << c.setup_error;
    EXPECT_GT(c.setup_error.size(), at + quoted.size() + 2) << c.setup_error;
    for (const auto& r : c.cases) EXPECT_EQ(r.outcome, oracles::Outcome::kError);
  }
}

// The cases of an exploration on another kernel: explore --emit-cases, then
// kernels --cases-dir --case 'x*'. Every emitted case has a verdict from the
// guest (whatever it is): none missing, none not run.
TEST_F(Kernels, RunsTheCasesOfACasesDirInTheGuest) {
  const auto emitted = wd_.path() / "explored";
  auto explore = RunEofzero({"explore", "--fs", "ext4", "--ops", "truncate", "--offsets",
                             "next-block", "--lengths", "1", "--persist", "none,fsync", "--crash",
                             "freeze", "--emit-cases", emitted.string()});
  ASSERT_EQ(explore.exit_code, 0) << explore.out << explore.err;
  // The emitted cases' names: what `list` sees with the folder and not without.
  auto names = [](const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"list", "--names"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto listed = RunEofzero(args);
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    std::set<std::string> out;
    std::istringstream lines(listed.out);
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) out.insert(line);
    return out;
  };
  const auto catalog = names({});
  std::set<std::string> wanted;
  for (const auto& name : names({"--cases-dir", emitted.string()}))
    if (!catalog.contains(name)) wanted.insert(name);
  ASSERT_EQ(wanted.size(), 2u) << explore.out;

  auto run = Run({"--cases-dir", emitted.string(), "--case", "x*", "--timeout", "600"});
  ASSERT_FALSE(run.ran.timed_out);
  if (KernelUnavailable(run))
    GTEST_SKIP() << "the kernel package cannot be had: " << run.record.configs[0].setup_error;
  ASSERT_TRUE(run.ran.exit_code == 0 || run.ran.exit_code == 1) << run.ran.out << run.ran.err;
  ASSERT_EQ(run.record.configs.size(), 1u) << run.ran.out;
  const auto& c = run.record.configs[0];
  ASSERT_TRUE(c.guest);
  EXPECT_EQ(c.setup_error, "");
  std::set<std::string> judged;
  for (const auto& r : c.cases) {
    EXPECT_TRUE(wanted.contains(r.case_name)) << "not asked for: " << r.case_name;
    EXPECT_FALSE(r.not_run) << r.case_name << ": " << r.summary;
    judged.insert(r.case_name);
  }
  EXPECT_EQ(judged, wanted) << run.ran.out;
  ExpectNothingLeft(wd_);
}

// explore --kernel: the same, in one command. Each planned run is a row of
// the kernel's column with a verdict (whatever it is), none "not run", and
// the emitted cases' folder is gone afterwards.
TEST_F(Kernels, ExploreOnAKernelGivesEveryPlannedRunAVerdict) {
  const std::vector<std::string> bounds = {"--fs",      "ext4",       "--ops",   "truncate",
                                           "--offsets", "next-block", "--lengths", "1",
                                           "--persist", "none,fsync", "--crash", "freeze"};
  auto args = std::vector<std::string>{"explore"};
  args.insert(args.end(), bounds.begin(), bounds.end());
  auto emit = args;
  const auto emitted = wd_.path() / "explored";
  emit.insert(emit.end(), {"--emit-cases", emitted.string()});
  ASSERT_EQ(RunEofzero(emit).exit_code, 0);
  std::set<std::string> wanted;
  for (const auto& e : std::filesystem::directory_iterator(emitted))
    wanted.insert(e.path().stem().string());
  ASSERT_EQ(wanted.size(), 2u);
  std::filesystem::remove_all(emitted);

  args.insert(args.end(), {"--kernel", EnvOr("EOFZERO_TEST_KERNEL", "bookworm"), "--workdir",
                           wd_.str()});
  auto ran = RunEofzeroWithEnv(
      {"EOFZERO_KERNEL_CACHE=" + EnvOr("EOFZERO_KERNEL_CACHE", "/var/cache/eofzero/kernels")},
      args);
  if (ran.out.find("could not be prepared") != std::string::npos)
    GTEST_SKIP() << "the kernel package cannot be had: " << ran.out;
  ASSERT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.out << ran.err;
  EXPECT_EQ(ran.out.find("not run"), std::string::npos) << ran.out;
  std::set<std::string> rows;
  std::istringstream lines(ran.out);
  bool table = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("case ")) table = true;
    if (!table) continue;
    if (line.empty()) break;  // the table's end
    std::istringstream words(line);
    std::string name, verdict;
    words >> name >> verdict;
    if (wanted.contains(name) && !verdict.empty()) rows.insert(name);
  }
  EXPECT_EQ(rows, wanted) << ran.out;
  ExpectNothingLeft(wd_);
  for (const auto& e : std::filesystem::directory_iterator(wd_.path()))
    ADD_FAILURE() << "left in the workdir: " << e.path();
}

// kernels --selftest: the self-test in the guest, on images on loop devices
// there. Its rows are the host's `selftest --fs ext4` rows (the same controls,
// whatever each detects on either kernel), the host's table shows each row as
// the guest's own JSON document says (read from the kept results disk), and
// the exit status is the one `selftest` gives for that document.
TEST_F(Kernels, SelftestInTheGuestHasTheHostsRowsEachAsTheGuestsOwnReportSays) {
  Workdir host_wd;
  const auto host_json = host_wd.path() / "host.json";
  auto host = RunEofzero({"selftest", "--fs", "ext4", "--workdir", host_wd.str(), "--format",
                          "json", "--output", host_json.string()});
  ASSERT_TRUE(host.exit_code == 0 || host.exit_code == 1) << host.out << host.err;
  auto host_doc = report::SelftestFromJson(ReadFile(host_json));
  ASSERT_TRUE(host_doc) << host_doc.error();
  ExpectNothingLeft(host_wd);

  auto g = SelftestInGuest("ext4");
  if (g.unavailable) GTEST_SKIP() << "the kernel package cannot be had: " << g.ran.out;
  ASSERT_TRUE(g.doc);
  const Ran& ran = g.ran;
  const auto& guest_doc = g.doc;

  // The same controls, row for row.
  ASSERT_EQ(guest_doc->table.columns, (std::vector<std::string>{"ext4/4k"}));
  ASSERT_EQ(guest_doc->table.rows.size(), host_doc->table.rows.size());
  for (std::size_t i = 0; i < host_doc->table.rows.size(); ++i) {
    EXPECT_EQ(guest_doc->table.rows[i].label, host_doc->table.rows[i].label);
    EXPECT_EQ(guest_doc->table.rows[i].control, host_doc->table.rows[i].control);
  }
  // The host's table: one column, the guest's release:ext4/4k, each row's cell
  // the guest's.
  const auto header = LinesStartingWith(ran.out, "oracle (phase) detects");
  ASSERT_EQ(header.size(), 1u) << ran.out;
  EXPECT_NE(header[0].find(guest_doc->kernel.substr(0, guest_doc->kernel.find(' ')) + ":ext4/4k"),
            std::string::npos)
      << header[0] << " / " << guest_doc->kernel;
  for (const auto& row : guest_doc->table.rows) {
    const auto lines = LinesStartingWith(ran.out, row.label + " ");
    ASSERT_EQ(lines.size(), 1u) << row.label << "\n" << ran.out;
    std::istringstream words(lines[0].substr(row.label.size()));
    std::string cell;
    words >> cell;
    EXPECT_EQ(cell, row.cells[0]) << row.label;
  }
  const int want = guest_doc->all_detected ? 0 : guest_doc->setup_failed ? 3 : 1;
  EXPECT_EQ(ran.exit_code, want) << ran.out << ran.err;
  ExpectNothingLeft(wd_);
}

// A module the guest's kernel has but could not load (here refused with
// module_blacklist=f2fs) is a filesystem this kernel has and cannot mount:
// an ERROR, never the SKIP of a kernel that lacks it.
TEST_F(Kernels, AnF2fsModuleThatDoesNotLoadIsAnErrorNotASkip) {
  auto run = Run({"--case", "truncate_up", "--append", "module_blacklist=f2fs", "--timeout", "600"},
                 EnvOr("EOFZERO_TEST_KERNEL", "bookworm"), "f2fs");
  ASSERT_FALSE(run.ran.timed_out);
  if (KernelUnavailable(run))
    GTEST_SKIP() << "the kernel package cannot be had: " << run.record.configs[0].setup_error;
  ASSERT_EQ(run.record.configs.size(), 1u) << run.ran.out << run.ran.err;
  ASSERT_EQ(run.record.configs[0].cases.size(), 1u);
  EXPECT_EQ(run.record.configs[0].cases[0].outcome, oracles::Outcome::kError)
      << run.record.configs[0].cases[0].summary;
  EXPECT_EQ(run.ran.exit_code, 3) << run.ran.out << run.ran.err;
  ExpectNothingLeft(wd_);
}

// f2fs's oracle paths each shown able to fail, in a guest: dump.f2fs as the
// offline reader, fsck.f2fs (the directory control), the size and the
// disagreement between stat and dump.f2fs; the two views do not apply (f2fs
// writes around the device's cache, so both views read the disk). The probe
// is a case that plants and crashes; when this kernel fails its baseline (a
// finding of the kernel's), detection cannot be shown and the test is
// skipped, saying so: it asserts the oracles, never the kernel.
TEST_F(Kernels, F2fsSelftestShowsItsOfflineReaderAndFsckCanFail) {
  auto g = SelftestInGuest("f2fs", {"--probe-case", "mmap_write_then_extend"});
  if (g.unavailable) GTEST_SKIP() << "the kernel package cannot be had: " << g.ran.out;
  ASSERT_TRUE(g.doc);
  const Ran& ran = g.ran;
  const auto& doc = g.doc;
  ASSERT_EQ(doc->table.columns, (std::vector<std::string>{"f2fs/4k"}));
  bool baseline_passed = false;
  for (const auto& c : doc->controls)
    if (c.control == "baseline") baseline_passed = c.outcome == "PASS";
  if (!baseline_passed)
    GTEST_SKIP() << "this kernel fails the probe's baseline, so no detection can be shown:\n"
                 << ran.out;
  std::map<std::string, std::pair<std::string, std::string>> cell;  // label -> (cell, reason)
  for (const auto& row : doc->table.rows) cell[row.label] = {row.cells[0], row.reasons[0]};
  for (const char* row : {"offline (after crash)", "fsck (after crash)", "size (after crash)",
                          "disagreement (after crash)", "raw-device (after crash)",
                          "buffered-read (before crash)"})
    EXPECT_EQ(cell[row].first, "yes") << row << ": " << cell[row].second;
  EXPECT_EQ(cell["two views (after crash)"].first, "skip");
  EXPECT_NE(cell["two views (after crash)"].second.find("around the block device's cache"),
            std::string::npos)
      << cell["two views (after crash)"].second;
  ExpectNothingLeft(wd_);
}

// `kernels` without QEMU or a static busybox: one line naming the package,
// exit 3, before anything is fetched. Needs neither root nor QEMU.
class KernelsHostTools : public ::testing::Test {
 protected:
  // Runs `kernels --kernel trixie` with PATH holding only `bin_`.
  Ran Run() {
    return RunEofzeroWithEnv({"PATH=" + bin_.string()},
                             {"kernels", "--kernel", "trixie", "--cache-dir", cache_.string(),
                              "--workdir", wd_.str()});
  }
  void Program(const std::string& name, const std::filesystem::path& target) {
    std::filesystem::create_symlink(target, bin_ / name);
  }
  void SetUp() override {
    std::filesystem::create_directories(bin_);
    std::filesystem::create_directories(cache_);
  }
  void ExpectNothingFetched() {
    EXPECT_TRUE(std::filesystem::is_empty(cache_));
    ExpectNothingLeft(wd_);
  }
  Workdir wd_;
  const std::filesystem::path bin_ = wd_.path() / "bin", cache_ = wd_.path() / "cache";
};

TEST_F(KernelsHostTools, WithoutQemuItSaysWhichPackageAndExits3) {
  auto ran = Run();
  EXPECT_EQ(ran.exit_code, 3);
  EXPECT_EQ(ran.err,
            "eofzero: kernels: qemu-system-x86_64 not found: apt-get install qemu-system-x86\n");
  EXPECT_EQ(ran.out, "");
  ExpectNothingFetched();
}

TEST_F(KernelsHostTools, WithoutAStaticBusyboxItSaysWhichPackageAndExits3) {
  Program("qemu-system-x86_64", "/bin/true");
  auto ran = Run();
  EXPECT_EQ(ran.exit_code, 3);
  EXPECT_EQ(ran.err, "eofzero: kernels: busybox not found: apt-get install busybox-static\n");
  // A dynamically linked one would find no libraries in the guest.
  Program("busybox", "/bin/true");
  ran = Run();
  EXPECT_EQ(ran.exit_code, 3);
  EXPECT_EQ(ran.err, "eofzero: kernels: " + (bin_ / "busybox").string() +
                         " is not a static busybox: apt-get install busybox-static\n");
  ExpectNothingFetched();
}

// A --cases-dir that is no folder, or holds a malformed case file: the line
// `run` gives, exit 2, before anything is fetched (here, before the host's
// tools are even looked for: there is no QEMU on this PATH).
TEST_F(KernelsHostTools, ABadCasesDirIsRunsLineAndExit2BeforeAnythingIsFetched) {
  auto both = [&](const std::string& dir) {
    auto ran = RunEofzeroWithEnv({"PATH=" + bin_.string()},
                                 {"kernels", "--kernel", "trixie", "--cache-dir", cache_.string(),
                                  "--workdir", wd_.str(), "--cases-dir", dir, "--case", "x*"});
    auto run = RunEofzero({"run", "--workdir", wd_.str(), "--cases-dir", dir, "--case", "x*"});
    EXPECT_EQ(ran.exit_code, 2) << ran.err;
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_EQ(ran.err, run.err);
    EXPECT_EQ(CountOccurrences(ran.err, "\n"), 1) << ran.err;
    EXPECT_EQ(ran.out, "");
    return ran.err;
  };
  const auto missing = wd_.path() / "no-such-folder";
  EXPECT_NE(both(missing.string()).find(missing.string()), std::string::npos);
  const auto bad = wd_.path() / "bad";
  std::filesystem::create_directories(bad);
  WriteFile(bad / "xbad.toml", "name = \"xbad\"\nsteps = '''\nno_such_step 1\n'''\n");
  EXPECT_NE(both(bad.string()).find((bad / "xbad.toml").string() + ":"), std::string::npos);
  ExpectNothingFetched();
}

}  // namespace
}  // namespace eofzero::itest
