#include "os/process.h"

#include <gtest/gtest.h>

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
  ProcessResult killed = Failed("");
  killed.exit_code = -1;
  killed.term_signal = 9;
  EXPECT_EQ(killed.Describe(), "mkfs.xfs -f /dev/loop0 was killed by signal 9");
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

}  // namespace
}  // namespace eofzero::os
