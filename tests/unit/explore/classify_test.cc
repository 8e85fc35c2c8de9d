// The catalog's cases in the explorer's terms: the ones it could have made
// read as their workloads; the others say why not.
#include "explore/classify.h"

#include <gtest/gtest.h>

#include "engine/case_check.h"
#include "engine/case_file.h"

namespace eofzero::explore {
namespace {

std::expected<std::string, std::string> Classified(const std::string& name) {
  auto spec = engine::LoadCaseFile(std::string(EOFZERO_SOURCE_DIR) + "/cases/" + name + ".toml");
  EXPECT_TRUE(spec) << spec.error();
  auto vars = engine::VariablesFor(*spec, 4096, 4096, 16);
  EXPECT_TRUE(vars) << vars.error();
  Geometry g;
  g.old_eof = static_cast<std::uint64_t>(vars->at("eof"));
  auto w = ClassifyCase(*spec, *vars, g);
  if (!w) return std::unexpected(w.error());
  return Describe(*w);
}

TEST(ClassifyCase, TheCatalogsExtensionsAreOperationsOfTheSpace) {
  EXPECT_EQ(Classified("append_write"), "pwrite next-block:4096 bs:4096 +sync_range");
  EXPECT_EQ(Classified("dio_append_aligned").value_or(""), "pwrite O_DIRECT next-block:4096 bs:4096");
  EXPECT_EQ(Classified("append_write_fsync"), "pwrite next-block:4096 bs:4096 +fsync");
}

// A size no class names (truncate_up's two blocks) keeps the operation.
TEST(ShapeOfCase, NamesTheOperationsAndAnOtherDistance) {
  auto spec = engine::LoadCaseFile(std::string(EOFZERO_SOURCE_DIR) + "/cases/truncate_up.toml");
  ASSERT_TRUE(spec);
  auto vars = engine::VariablesFor(*spec, 4096, 4096, 16);
  ASSERT_TRUE(vars);
  Geometry g;
  auto exact = ClassifyCase(*spec, *vars, g);
  ASSERT_FALSE(exact);
  EXPECT_NE(exact.error().find("offset 8192 is no class at size 4080"), std::string::npos)
      << exact.error();
  auto shape = ShapeOfCase(*spec, *vars, g);
  ASSERT_TRUE(shape) << shape.error();
  EXPECT_EQ(shape->ops, std::vector<std::string>{"truncate"});
  EXPECT_EQ(shape->distance, "other");
}

TEST(ClassifyCase, ACaseTheExplorerCouldNotHaveWrittenSaysWhy) {
  auto race = Classified("race_mmap_append");
  ASSERT_FALSE(race);
  EXPECT_NE(race.error().find("not an operation of the explorer's"), std::string::npos)
      << race.error();
}

}  // namespace
}  // namespace eofzero::explore
