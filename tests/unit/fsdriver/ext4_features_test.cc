#include "fsdriver/ext4_features.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace eofzero::fsdriver {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(EOFZERO_FIXTURES_DIR) + "/" + name);
  EXPECT_TRUE(in) << name;
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

bool Has(const std::vector<std::string>& words, const char* w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

TEST(ParseExt4Features, RecordedDumpe2fsOutputs) {
  auto journaled = ParseExt4Features(Fixture("dumpe2fs_journaled.txt"));
  ASSERT_TRUE(journaled);
  EXPECT_TRUE(Has(*journaled, "has_journal"));
  EXPECT_TRUE(Has(*journaled, "metadata_csum"));
  auto bare = ParseExt4Features(Fixture("dumpe2fs_no_journal.txt"));
  ASSERT_TRUE(bare);
  EXPECT_FALSE(Has(*bare, "has_journal"));
  EXPECT_TRUE(Has(*bare, "extent"));
}

TEST(ParseExt4Features, MissingLineAndNoneAreDistinct) {
  EXPECT_EQ(ParseExt4Features("Filesystem UUID: x\n"), std::nullopt);
  auto none = ParseExt4Features("Filesystem features:      (none)\n");
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  // "Journal features:" must not be mistaken for the filesystem's.
  EXPECT_EQ(ParseExt4Features("Journal features:         (none)\n"), std::nullopt);
}

}  // namespace
}  // namespace eofzero::fsdriver
