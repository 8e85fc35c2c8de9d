#include "engine/toml_text.h"

#include <gtest/gtest.h>

namespace eofzero::engine {
namespace {

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

// toml++ recurses once per dotted part: 40000 of them overflowed the stack
// (exit 139) before the key reached it.
TEST(ParseTomlText, AKeyNestedThousandsDeepIsAnErrorNotACrash) {
  auto key = ParseTomlText("name = \"x\"\n" + Repeat("a.", 40000) + "b = 1\n", "c.toml");
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error(), "c.toml:2: a key nested more than 32 deep");
  auto header = ParseTomlText("[" + Repeat("a.", 40000) + "b]\n", "m.toml");
  ASSERT_FALSE(header);
  EXPECT_EQ(header.error(), "m.toml:1: a key nested more than 32 deep");
}

TEST(ParseTomlText, DotsInValuesAndStringsAreNotNesting) {
  const std::string text =
      "a.b.c = \"x.y.z\"\nsteps = '''\n" + Repeat("copy_range f.", 50) + "\n'''\n[t.u]\nv = 1.5\n";
  auto ok = ParseTomlText(text, "c.toml");
  ASSERT_TRUE(ok) << ok.error();
  EXPECT_EQ((*ok)["a"]["b"]["c"].value_or(std::string()), "x.y.z");
  EXPECT_TRUE(ParseTomlText(Repeat("a.", 31) + "b = 1\n", "c.toml"));
}

TEST(ParseTomlText, ASyntaxErrorIsFileAndLine) {
  auto bad = ParseTomlText("a = 1\nb = [\n", "c.toml");
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().starts_with("c.toml:")) << bad.error();
}

}  // namespace
}  // namespace eofzero::engine
