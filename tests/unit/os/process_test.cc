#include "os/process.h"

#include <gtest/gtest.h>

#include <csignal>

namespace eofzero::os {
namespace {

ProcessResult Failed(std::string err, std::string out = "") {
  ProcessResult r;
  r.argv = {"mkfs.xfs", "-f", "/dev/loop0"};
  r.exit_code = 1;
  r.err = std::move(err);
  r.out = std::move(out);
  return r;
}

TEST(ProcessResultDescribe, ShortOutputIsQuotedWhole) {
  EXPECT_EQ(Failed("too small\n").Describe(), "mkfs.xfs -f /dev/loop0 exited 1: too small");
  EXPECT_EQ(Failed("", "on stdout\n").Describe(), "mkfs.xfs -f /dev/loop0 exited 1: on stdout");
  EXPECT_EQ(Failed("").Describe(), "mkfs.xfs -f /dev/loop0 exited 1");
}

TEST(ProcessResultDescribe, ALongOutputIsOneLineWithItsFirstLinesAndWhatWasCut) {
  std::string usage = "Filesystem must be larger than 300MB.\nUsage: mkfs.xfs\n\n";
  for (int i = 0; i < 26; ++i) usage += "/* option */\t\t[-x size=num]\n";
  const std::string d = Failed(usage).Describe();
  EXPECT_EQ(d,
            "mkfs.xfs -f /dev/loop0 exited 1: Filesystem must be larger than 300MB. | Usage: "
            "mkfs.xfs | /* option */ [-x size=num] (25 more lines cut)");
}

TEST(ProcessResultDescribe, ALongLineIsCut) {
  const std::string d = Failed(std::string(5000, 'x') + "\n").Describe();
  EXPECT_LT(d.size(), 400u);
  EXPECT_TRUE(d.ends_with("... (4700 more characters cut)")) << d;
}

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
