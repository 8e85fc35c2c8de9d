#include "engine/case_check.h"

#include <gtest/gtest.h>

#include "engine/case_file.h"

namespace eofzero::engine {
namespace {

CaseSpec Parse(const std::string& fields, const std::string& steps) {
  auto spec = ParseCaseText("name = \"c\"\npurpose = \"p\"\n" + fields + "steps = '''\n" + steps +
                                "plant\nshutdown -f\ncycle_mount\nexpect size {eob}\ncheck gap\n'''\n",
                            "c.toml");
  EXPECT_TRUE(spec) << spec.error();
  return spec ? *spec : CaseSpec{};
}

TEST(VariablesFor, DefaultGeometry) {
  auto vars = VariablesFor(Parse("", ""), 4096, 4096, 16);
  ASSERT_TRUE(vars) << vars.error();
  EXPECT_EQ((*vars)["eof"], 4080);
  EXPECT_EQ((*vars)["eof_block"], 0);
  EXPECT_EQ((*vars)["eob"], 4096);
  vars = VariablesFor(Parse("eof = \"{4 * bs - gap}\"\n", ""), 1024, 4096, 1);
  ASSERT_TRUE(vars) << vars.error();
  EXPECT_EQ((*vars)["eof"], 4095);
  EXPECT_EQ((*vars)["eof_block"], 3072);
}

struct Bad {
  std::string fields, steps;
  std::uint32_t bs, gap;
  std::string error;  // the whole message starts with this
};

TEST(PreflightCase, NamesTheFileAndLineOfWhatDoesNotFit) {
  const Bad table[] = {
      {"eof = \"{bs / 0}\"\n", "", 4096, 16, "c.toml:3: eof: {bs / 0}: division by zero"},
      {"gap = 5000\n", "", 4096, 16, "c.toml:3: gap 5000 must be 1 to block size - 1 (4095)"},
      {"", "", 1024, 2000, "c.toml:1: gap 2000 (--gap) must be 1 to block size - 1 (1023)"},
      {"eof = \"{bs}\"\n", "", 4096, 16, "c.toml:3: eof {bs} = 4096 must be 16 bytes"},
      {"", "truncate {eof - bs}\n", 4096, 16, "c.toml:4: {eof - bs} = -16 is negative"},
      {"", "pwrite -S {gap - 17} 0 1\n", 4096, 16, "c.toml:4: {gap - 17} = -1 is negative"},
  };
  for (const auto& t : table) {
    auto r = PreflightCase(Parse(t.fields, t.steps), t.bs, 4096, t.gap);
    ASSERT_FALSE(r) << t.error;
    EXPECT_EQ(r.error().substr(0, t.error.size()), t.error) << r.error();
  }
  EXPECT_TRUE(PreflightCase(Parse("", "truncate {eof}\n"), 4096, 4096, 16));
}

}  // namespace
}  // namespace eofzero::engine
