// The test-only hold the other integration tests stand on (EOFZERO_TEST_HOLD,
// src/os/test_hold.h): a run stops at the message named, whatever -v says,
// and stays there until the test releases it; once the test stops listening,
// later points go on at once; unset, nothing changes.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <regex>

#include "harness.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kTruncateUp = {"run", "--fs", "ext4", "--case", "truncate_up"};

std::vector<std::string> In(const Workdir& wd, std::vector<std::string> args) {
  args.insert(args.end(), {"--workdir", wd.str()});
  return args;
}

// The report without what differs from run to run: durations, UUIDs, loop
// devices.
std::string RunToRunDifferencesMasked(std::string report) {
  for (const auto& [what, mask] : {std::pair{R"([0-9]+\.[0-9]+ ?m?s\b)", "T"},
                                   {"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", "U"},
                                   {"/dev/loop[0-9]+", "/dev/loopN"}})
    report = std::regex_replace(report, std::regex(what), mask);
  return report;
}

// Held where the truncate up starts (a debug message; the run has no -v): the
// run is provably there — its filesystem is mounted, the file still ends at
// its old, unaligned EOF (the step has not run), and nothing was printed —
// and once released it runs the case to its end.
TEST(TestHold, HoldsARunAtThePointUntilReleased) {
  REQUIRE_ROOT();
  Workdir wd;
  const std::string point = StepPoint("truncate_up", "truncate {eob + bs}");
  HeldRun run(In(wd, kTruncateUp), point);
  auto held = run.WaitHeld();
  ASSERT_TRUE(held);
  EXPECT_EQ(held->pid, run.pid());
  EXPECT_EQ(held->message, point);
  const auto mounts = MountsUnder(wd.path());
  ASSERT_EQ(mounts.size(), 1u);
  struct stat file {};
  ASSERT_EQ(::stat((fs::path(mounts[0]) / "case_truncate_up").c_str(), &file), 0);
  EXPECT_NE(file.st_size % 4096, 0) << "the truncate up to a whole block ran: " << file.st_size;
  EXPECT_EQ(run.Err(), "") << "stderr keeps the level -v sets";
  Ran ran = run.Wait();
  EXPECT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.out << ran.err;
  EXPECT_TRUE(ran.out.find("PASS") != std::string::npos ||
              ran.out.find("FAIL") != std::string::npos)
      << "the case ran to its verdict: " << ran.out;
  EXPECT_EQ(ran.err, "");
  ExpectNothingLeft(wd);
}

// A point met many times (each mount and unmount) holds only while the test
// listens: it takes the first and closes its listener; the others go on.
TEST(TestHold, OnceTheTestStopsListeningThePointsGoOn) {
  REQUIRE_ROOT();
  Workdir wd;
  HeldRun run(In(wd, kTruncateUp), "mounted /dev/loop");
  auto held = run.WaitHeld();
  ASSERT_TRUE(held);
  EXPECT_TRUE(held->message.starts_with("mounted /dev/loop")) << held->message;
  EXPECT_EQ(MountsUnder(wd.path()).size(), 1u) << "held just after its first mount";
  Ran ran = run.Wait();
  EXPECT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.out << ran.err;
  EXPECT_EQ(ran.err, "") << "nobody listening is no error";
  ExpectNothingLeft(wd);
}

// Unset, and set to a point the run never meets, the run's report and
// stderr are the same (but for durations).
TEST(TestHold, UnsetOrNeverMetItChangesNothing) {
  REQUIRE_ROOT();
  Workdir plain_wd, held_wd;
  Ran plain = RunEofzero(In(plain_wd, kTruncateUp));
  HeldRun run(In(held_wd, kTruncateUp), "a message no run gives");
  Ran held = run.Wait();
  EXPECT_TRUE(plain.exit_code == 0 || plain.exit_code == 1) << plain.out << plain.err;
  EXPECT_EQ(held.exit_code, plain.exit_code);
  EXPECT_EQ(RunToRunDifferencesMasked(held.out), RunToRunDifferencesMasked(plain.out));
  EXPECT_EQ(plain.err, "");
  EXPECT_EQ(held.err, "");
  ExpectNothingLeft(plain_wd);
  ExpectNothingLeft(held_wd);
}

TEST(TestHold, AMalformedValueIsOneLineExit2AndTouchesNothing) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzeroWithEnv({"EOFZERO_TEST_HOLD=no-colon"}, In(wd, kTruncateUp));
  EXPECT_EQ(ran.exit_code, 2);
  EXPECT_EQ(ran.err,
            "eofzero: EOFZERO_TEST_HOLD: 'no-colon' is not SOCKET:TEXT (a test-only hold)\n");
  EXPECT_EQ(ran.out, "");
  EXPECT_TRUE(wd.Contents().empty());
}

}  // namespace
}  // namespace eofzero::itest
