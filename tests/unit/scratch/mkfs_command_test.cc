#include "scratch/mkfs_command.h"

#include <gtest/gtest.h>

namespace eofzero::scratch {
namespace {

using V = std::vector<std::string>;

TEST(SplitWords, SplitsOnAnyBlankRun) {
  EXPECT_EQ(SplitWords("  -O ^has_journal\t-E  lazy_itable_init=0 \n"),
            (V{"-O", "^has_journal", "-E", "lazy_itable_init=0"}));
  EXPECT_TRUE(SplitWords("").empty());
  EXPECT_TRUE(SplitWords("   ").empty());
}

TEST(MkfsArgv, Ext4CarriesBlockSizeUuidThenUserOptionsThenDevice) {
  EXPECT_EQ(MkfsArgv(FsType::kExt4, "/dev/loop7", 1024, "U", "-O bigalloc"),
            (V{"mkfs.ext4", "-F", "-q", "-b", "1024", "-U", "U", "-E", "nodiscard", "-O",
               "bigalloc", "/dev/loop7"}));
}

TEST(MkfsArgv, XfsCarriesBlockSizeUuidThenUserOptionsThenDevice) {
  EXPECT_EQ(MkfsArgv(FsType::kXfs, "/dev/loop7", 4096, "U", "-m reflink=1"),
            (V{"mkfs.xfs", "-f", "-q", "-K", "-b", "size=4096", "-m", "uuid=U", "-m", "reflink=1",
               "/dev/loop7"}));
}

TEST(FsType, ParsesOnlyTheSupportedFilesystems) {
  EXPECT_EQ(ParseFsType("ext4"), FsType::kExt4);
  EXPECT_EQ(ParseFsType("xfs"), FsType::kXfs);
  EXPECT_EQ(ParseFsType("btrfs"), std::nullopt);
  EXPECT_EQ(ParseFsType("EXT4"), std::nullopt);
  EXPECT_EQ(FsTypeName(FsType::kXfs), "xfs");
}

}  // namespace
}  // namespace eofzero::scratch
