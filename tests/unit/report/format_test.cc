#include "report/format.h"

#include <gtest/gtest.h>

namespace eofzero::report {
namespace {

TEST(ReportFormat, EveryFormatsNameParsesBackToIt) {
  for (const auto& f : ReportFormats()) {
    EXPECT_EQ(ParseReportFormat(f.name), f.format) << f.name;
    EXPECT_STREQ(FormatName(f.format), f.name);
  }
  EXPECT_EQ(ReportFormats().size(), 5u);
  EXPECT_FALSE(ParseReportFormat("JSON"));
  EXPECT_FALSE(ParseReportFormat("xml"));
}

TEST(ReportFormat, OnlyFstestsIsForRunOnly) {
  for (const auto& f : ReportFormats())
    EXPECT_EQ(f.run_only, f.format == ReportFormat::kFstests) << f.name;
}

}  // namespace
}  // namespace eofzero::report
