// docs/cases.md's worked example of a case file must stay a valid case, and
// its step table the registry's.
#include <gtest/gtest.h>

#include "recorded_output.h"

#include <fstream>
#include <sstream>

#include "engine/case_file.h"
#include "engine/step.h"
#include "report/case_list.h"

namespace eofzero::engine {
namespace {

TEST(ReadmeExample, TheWorkedCaseParsesAndValidates) {
  const std::string text = testing::ReadSourceFile("docs/cases.md");
  const std::string begin = "# cases/fdatasync_truncate.toml";
  const auto from = text.find(begin);
  ASSERT_NE(from, std::string::npos) << "docs/cases.md lost its worked example";
  const auto to = text.find("```", from);
  ASSERT_NE(to, std::string::npos);
  auto spec = ParseCaseText(text.substr(from, to - from), "fdatasync_truncate.toml");
  ASSERT_TRUE(spec) << spec.error();
  EXPECT_EQ(spec->steps.size(), 13u);
  EXPECT_FALSE(spec->in_default_suite);
}

// docs/cases.md's step table is the registry's, row for row: a step added to
// engine/steps.cc without its row there (or a row left behind) fails here.
std::string StepTable() { return report::RenderStepTable(); }

TEST(ReadmeSteps, TheStepTableIsTheRegistrys) {
  const std::string text = testing::ReadSourceFile("docs/cases.md");
  const auto from = text.find("| step | from | does |");
  ASSERT_NE(from, std::string::npos) << "docs/cases.md lost its step table; it should be:\n"
                                     << StepTable();
  const auto to = text.find("\n\n", from);
  EXPECT_EQ(text.substr(from, to + 1 - from), StepTable());
}

}  // namespace
}  // namespace eofzero::engine
