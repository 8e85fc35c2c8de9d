#include "cli/names.h"

#include <gtest/gtest.h>

namespace eofzero::cli {
namespace {

TEST(ListNames, CommasAndAnOptionalLastSeparator) {
  EXPECT_EQ(ListNames({"a", "b", "c"}), "a, b, c");
  EXPECT_EQ(ListNames({"a", "b", "c"}, " or "), "a, b or c");
  EXPECT_EQ(ListNames({"a"}, " or "), "a");
  EXPECT_EQ(ListNames({}), "");
}

TEST(ShutdownFlagNames, EveryNameThatIsPrintedParsesBackToItsFlag) {
  EXPECT_EQ(ShutdownFlagNames(), (std::vector<std::string>{"logflush", "nologflush", "default"}));
  for (auto flag : os::kShutdownFlags)
    EXPECT_EQ(ParseShutdownFlag(os::ShutdownFlagName(flag)), flag) << os::ShutdownFlagName(flag);
  EXPECT_FALSE(ParseShutdownFlag("LOGFLUSH"));
  EXPECT_FALSE(ParseShutdownFlag(""));
}

TEST(ReportFormatNames, ListedInHelpAndErrorsFromTheFormatsTable) {
  EXPECT_EQ(ListNames(ReportFormatNames()), "human, json, junit, markdown, fstests");
  EXPECT_EQ(ReportFormatHelp(), "human, json, junit, markdown, or (run only) fstests");
}

}  // namespace
}  // namespace eofzero::cli
