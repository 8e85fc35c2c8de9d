#include "report/table.h"

#include <gtest/gtest.h>

#include "report/sample_record.h"

namespace eofzero::report {
namespace {

TEST(Table, TextHasACaseRowPerNameAndAColumnPerConfiguration) {
  EXPECT_EQ(RenderTable(testing::SampleRecord(), TableStyle::kText),
            "case            ext4-4k  xfs-4k\n"
            "append_write    FAIL     xfail\n"
            "fallocate       ERROR    -\n"
            "reflink_extend  skip     -\n"
            "truncate_up     pass     XPASS\n");
}

TEST(Table, MarkdownMarksRedCellsAndListsThemWithTotals) {
  const std::string md = RenderTable(testing::SampleRecord(), TableStyle::kMarkdown);
  EXPECT_EQ(md.substr(0, md.find("\n\n")),
            "| case | ext4-4k | xfs-4k |\n"
            "|---|---|---|\n"
            "| append_write | **FAIL** | xfail |\n"
            "| fallocate | **ERROR** | - |\n"
            "| reflink_extend | skip | - |\n"
            "| truncate_up | pass | **XPASS** |");
  EXPECT_NE(md.find("1 pass, 1 xfail, 1 FAIL, 1 XPASS, 1 skip, 1 ERROR (kernel 6.18.0 x86_64)"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("- `xfs-4k` `truncate_up`: XPASS: truncate_up summary (declared for gap "
                    "findings: a stale declaration)"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("`xfs-4k` `append_write`"), std::string::npos) << "a known failure is not red";
}

TEST(Table, MarkdownsTotalsNameTheEofzeroThatRan) {
  RunRecord record = testing::SampleRecord();
  record.tool = {"1.2.3", "0123456789ab"};
  EXPECT_NE(RenderTable(record, TableStyle::kMarkdown)
                .find(" ERROR (kernel 6.18.0 x86_64; eofzero 1.2.3 (commit 0123456789ab))\n"),
            std::string::npos);
}

TEST(Table, AnInterruptedRunsTextTableEndsWithWhatDidNotRun) {
  EXPECT_EQ(RenderTable(testing::InterruptedRecord(), TableStyle::kText),
            "case          ext4-4k  xfs-4k\n"
            "append_write  ERROR    ERROR\n"
            "fallocate     ERROR    -\n"
            "truncate_up   pass     ERROR\n"
            "interrupted by signal 2 (SIGINT); did not run:\n"
            "  ext4-4k: append_write, fallocate\n"
            "  xfs-4k: all 2 cases\n");
}

TEST(Table, AnInterruptedRunsMarkdownSaysSoOnItsFirstLine) {
  const std::string md = RenderTable(testing::InterruptedRecord(), TableStyle::kMarkdown);
  EXPECT_EQ(md.substr(0, md.find("\n\n")),
            "**Interrupted** by signal 2 (SIGINT); did not run: ext4-4k: append_write, "
            "fallocate; xfs-4k: all 2 cases")
      << md;
  EXPECT_NE(md.find("1 pass, 4 ERROR (kernel"), std::string::npos) << md;
  EXPECT_EQ(md.find("Needs attention"), std::string::npos)
      << "what did not run is listed on top, not again: " << md;
  EXPECT_EQ(RenderTable(testing::SampleRecord(), TableStyle::kMarkdown).find("nterrupted"),
            std::string::npos);
}

}  // namespace
}  // namespace eofzero::report
