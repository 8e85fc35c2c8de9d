#include "report/selftest_report.h"

#include <gtest/gtest.h>

#include <sstream>

namespace eofzero::report {
namespace {

TEST(SelftestReport, ALinePerControlThenTheTableUnderABlankLine) {
  std::ostringstream out;
  SelftestTextReporter reporter(out);
  oracles::Verdict pass;
  pass.outcome = oracles::Outcome::kPass;
  pass.summary = "7 oracle reads saw a zero gap";
  reporter.ControlDone("ext4/4k", "baseline", pass);
  reporter.SetupFailed("xfs/4k", "mkfs.xfs exited 1");
  reporter.Finish({{"ext4/4k", "xfs/4k"},
                   {{"mmap (before crash)", {"yes", "?"}}, {"size (after crash)", {"NO", "?"}}}});
  EXPECT_EQ(out.str(),
            "ext4/4k: baseline: PASS  7 oracle reads saw a zero gap\n"
            "xfs/4k: could not set up: mkfs.xfs exited 1\n"
            "\n"
            "oracle (phase) detects          ext4/4k   xfs/4k  \n"
            "mmap (before crash)             yes       ?       \n"
            "size (after crash)              NO        ?       \n");
}

// A column named longer than a cell (kernels --selftest: "RELEASE:ext4/4k")
// keeps its cells under its name.
TEST(SelftestReport, CellsStayUnderALongColumnName) {
  EXPECT_EQ(RenderSelftestTable({{"6.12.1-amd64:ext4/4k", "xfs/4k"}, {{"size (after crash)", {"yes", "NO"}}}}),
            "\n"
            "oracle (phase) detects          6.12.1-amd64:ext4/4k  xfs/4k  \n"
            "size (after crash)              yes                   NO      \n");
}

TEST(SelftestReport, ABaselineThatFailedAndARunThatCouldNotStartAreSaid) {
  std::ostringstream out;
  SelftestTextReporter reporter(out);
  reporter.BaselineFailed("ext4/1k", "baseline");
  reporter.BaselineFailed("ext4/1k", "race_baseline");
  reporter.RunFailed("mkdtemp /var/tmp: No space left on device");
  EXPECT_EQ(out.str(),
            "ext4/1k: the baseline did not pass, so the controls cannot show detection\n"
            "ext4/1k: the race_baseline did not pass, so the controls of its case cannot show "
            "detection\n"
            "selftest: mkdtemp /var/tmp: No space left on device\n");
}

}  // namespace
}  // namespace eofzero::report
