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

#include "harness.h"
#include "os/process.h"
#include "report/json_report.h"

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
  KernelRun Run(const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"kernels",
                                     "--kernel",
                                     EnvOr("EOFZERO_TEST_KERNEL", "bookworm"),
                                     "--cache-dir",
                                     EnvOr("EOFZERO_KERNEL_CACHE", "/var/cache/eofzero/kernels"),
                                     "--workdir",
                                     wd_.str(),
                                     "--fs",
                                     "ext4",
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

}  // namespace
}  // namespace eofzero::itest
