#include "report/matrix_reporter.h"

#include <gtest/gtest.h>

#include <sstream>

#include "report/report_output.h"
#include "report/sample_record.h"
#include "temp_dir.h"

namespace eofzero::report {
namespace {

ConfigRecord Config() { return testing::SampleRecord().configs[0]; }  // ext4-4k

TEST(MatrixProgressLine, PlaceNameCasesTimeAndTally) {
  EXPECT_EQ(MatrixProgressLine(3, 10, Config(), 0.84),
            "[3/10] ext4-4k                4 cases    0.8s  1 pass, 1 FAIL, 1 skip, 1 ERROR");
  ConfigRecord failed = Config();
  failed.cases.clear();
  failed.setup_error = "the worker exited 3";
  EXPECT_EQ(MatrixProgressLine(1, 1, failed, 0),
            "[1/1] ext4-4k                0 cases    0.0s  no cases; the worker exited 3");
}

TEST(MatrixTextReporter, OnATerminalATransientLineIsErasedBeforeEachLineThatStays) {
  std::ostringstream out;
  MatrixTextReporter reporter(out, /*interactive=*/true);
  reporter.Started("6.18.0 x86_64", 2, 2);
  reporter.Running({"ext4-4k", "xfs-4k"});
  reporter.ConfigDone(1, 2, Config(), 1.0);
  EXPECT_EQ(out.str(),
            ToolIdentity(ThisTool()) +
                " matrix on Linux 6.18.0 x86_64: 2 configurations, 2 at a time\n"
                "\r\033[Krunning: ext4-4k, xfs-4k ...\r\033[K[1/2] ext4-4k                4 cases "
            "   1.0s  1 pass, 1 FAIL, 1 skip, 1 ERROR\n");
  reporter.Finished(testing::SampleRecord(), 2, 2);
  EXPECT_NE(out.str().find("ERROR\n\r\033[K\ncase "), std::string::npos) << out.str();
}

TEST(MatrixTextReporter, ElsewhereNoTransientLineAndNoTerminalCodes) {
  std::ostringstream out;
  MatrixTextReporter reporter(out, /*interactive=*/false);
  reporter.Running({"ext4-4k"});
  reporter.ConfigDone(1, 2, Config(), 1.0);
  reporter.Finished(testing::SampleRecord(), 2, 1);
  EXPECT_EQ(out.str().find("\033["), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find("running:"), std::string::npos) << out.str();
  EXPECT_TRUE(out.str().ends_with("matrix: 2 configurations in 2.5s with -j 1\n")) << out.str();
}

TEST(RenderMatrixSummary, TheTableWhatNeedsAttentionAndTheClosingLine) {
  const std::string text = RenderMatrixSummary(testing::SampleRecord(), 2, 4);
  EXPECT_EQ(text.rfind("case ", 0), 0u) << text;
  EXPECT_NE(text.find("\nFAIL  ext4-4k  append_write  append_write summary\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("    evidence of append_write <&>\n"), std::string::npos) << text;
  EXPECT_TRUE(text.ends_with("\nmatrix: 2 configurations in 2.5s with -j 4\n")) << text;
}

TEST(MatrixOutput, AFileFormatOnStdoutReplacesTheHumanReport) {
  std::ostringstream out;
  MatrixOutput output(ReportFormat::kMarkdown, "", out, false);
  output.reporter().Started("6.18.0 x86_64", 2, 2);
  output.reporter().ConfigDone(1, 2, Config(), 1.0);
  EXPECT_EQ(out.str(), "") << "the human report is not shown";
  ASSERT_TRUE(output.Write(testing::SampleRecord(), 2, 2));
  EXPECT_EQ(out.str(), RenderRecord(testing::SampleRecord(), ReportFormat::kMarkdown));
}

TEST(MatrixOutput, WithOutputStdoutKeepsTheHumanReportAndTheFileGetsTheFormat) {
  eofzero::testing::TempDir dir;
  std::ostringstream out;
  MatrixOutput human(ReportFormat::kHuman, dir.path() / "m.txt", out, false);
  human.reporter().Started("6.18.0 x86_64", 2, 2);
  ASSERT_TRUE(human.Write(testing::SampleRecord(), 2, 2));
  EXPECT_EQ(out.str(), ToolIdentity(ThisTool()) +
                           " matrix on Linux 6.18.0 x86_64: 2 configurations, 2 at a time\n");
  std::ifstream file(dir.path() / "m.txt");
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, RenderMatrixSummary(testing::SampleRecord(), 2, 2));
  MatrixOutput none(ReportFormat::kHuman, "", out, false);
  ASSERT_TRUE(none.Write(testing::SampleRecord(), 2, 2));
  EXPECT_EQ(out.str().find("case "), std::string::npos) << "shown as it ran: nothing more";
}

}  // namespace
}  // namespace eofzero::report
