#include <gtest/gtest.h>

#include <csignal>

#include "os/process.h"

namespace eofzero::os {
namespace {

ProcessResult Killed(int signo) {
  ProcessResult r;
  r.argv = {"mkfs.xfs", "-f", "/dev/loop7"};
  r.term_signal = signo;  // exit_code stays -1, as RunProcess leaves it
  r.err = "partial output\n";
  return r;
}

TEST(ProcessResult, AChildKilledByASignalIsNamedSoNotAnExitCode) {
  EXPECT_EQ(Killed(SIGKILL).Ending(), "was killed by signal 9 (SIGKILL)");
  EXPECT_EQ(Killed(SIGKILL).Describe(),
            "mkfs.xfs -f /dev/loop7 was killed by signal 9 (SIGKILL): partial output");
  EXPECT_EQ(Killed(SIGSEGV).Ending(), "was killed by signal 11 (SIGSEGV)");
}

TEST(ProcessResult, AnExitedChildSaysItsExitCode) {
  ProcessResult r{{"e2fsck", "-fn", "/dev/loop7"}, 4, 0, "", ""};
  EXPECT_EQ(r.Ending(), "exited 4");
  EXPECT_EQ(r.Describe(), "e2fsck -fn /dev/loop7 exited 4");
}

TEST(SignalName, NamesKnownSignalsAndNumbersOthers) {
  EXPECT_EQ(SignalName(SIGTERM), "SIGTERM");
  EXPECT_EQ(SignalName(SIGINT), "SIGINT");
  EXPECT_EQ(DescribeSignal(SIGHUP), "signal 1 (SIGHUP)");
  EXPECT_EQ(DescribeSignal(0), "signal 0");
  EXPECT_EQ(DescribeSignal(200), "signal 200");
}

}  // namespace
}  // namespace eofzero::os
