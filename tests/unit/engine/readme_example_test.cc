// The README's worked example of a case file must stay a valid case.
#include <gtest/gtest.h>

#include "recorded_output.h"

#include <fstream>
#include <sstream>

#include "engine/case_file.h"

namespace eofzero::engine {
namespace {

TEST(ReadmeExample, TheWorkedCaseParsesAndValidates) {
  const std::string text = testing::ReadSourceFile("README.md");
  const std::string begin = "# cases/fdatasync_truncate.toml";
  const auto from = text.find(begin);
  ASSERT_NE(from, std::string::npos) << "the README lost its worked example";
  const auto to = text.find("```", from);
  ASSERT_NE(to, std::string::npos);
  auto spec = ParseCaseText(text.substr(from, to - from), "fdatasync_truncate.toml");
  ASSERT_TRUE(spec) << spec.error();
  EXPECT_EQ(spec->steps.size(), 13u);
  EXPECT_FALSE(spec->in_default_suite);
}

}  // namespace
}  // namespace eofzero::engine
