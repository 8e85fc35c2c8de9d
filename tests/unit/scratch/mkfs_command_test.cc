#include "scratch/mkfs_command.h"

#include <gtest/gtest.h>

namespace eofzero::scratch {
namespace {

using V = std::vector<std::string>;
using fsdriver::FsType;
using fsdriver::FsTypeName;
using fsdriver::ParseFsType;

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

TEST(MkfsArgv, LeavesOutItsOwnBlockSizeWhenTheOptionsSetOne) {
  EXPECT_EQ(MkfsArgv(FsType::kExt4, "/dev/vdb", 4096, "U", "-b 1024 -O bigalloc"),
            (V{"mkfs.ext4", "-F", "-q", "-U", "U", "-E", "nodiscard", "-b", "1024", "-O",
               "bigalloc", "/dev/vdb"}));
  EXPECT_EQ(MkfsArgv(FsType::kXfs, "/dev/vdb", 4096, "U", "-b size=1k"),
            (V{"mkfs.xfs", "-f", "-q", "-K", "-m", "uuid=U", "-b", "size=1k", "/dev/vdb"}));
  // One it cannot read is left for mkfs to judge, not doubled.
  EXPECT_EQ(MkfsArgv(FsType::kXfs, "/dev/vdb", 4096, "U", "-b size=huge"),
            (V{"mkfs.xfs", "-f", "-q", "-K", "-m", "uuid=U", "-b", "size=huge", "/dev/vdb"}));
}

TEST(MkfsBlockSize, NoneWhenTheOptionsSetNone) {
  EXPECT_EQ(MkfsBlockSize(FsType::kExt4, ""), std::nullopt);
  EXPECT_EQ(MkfsBlockSize(FsType::kExt4, "-O bigalloc -C 16384 -E lazy_itable_init=0"),
            std::nullopt);
  EXPECT_EQ(MkfsBlockSize(FsType::kXfs, "-m reflink=1 -d agcount=4 -s size=4096"), std::nullopt);
}

TEST(MkfsBlockSize, Ext4DashB) {
  EXPECT_EQ(MkfsBlockSize(FsType::kExt4, "-b 1024"), 1024u);
  EXPECT_EQ(MkfsBlockSize(FsType::kExt4, "-O ^has_journal -b4096"), 4096u);
  EXPECT_EQ(MkfsBlockSize(FsType::kExt4, "-b 4k"), 4096u);
  EXPECT_EQ(MkfsBlockSize(FsType::kExt4, "-b 1024 -b 2048"), 2048u);  // the last wins
}

TEST(MkfsBlockSize, XfsDashBSize) {
  EXPECT_EQ(MkfsBlockSize(FsType::kXfs, "-b size=1024"), 1024u);
  EXPECT_EQ(MkfsBlockSize(FsType::kXfs, "-m crc=1 -bsize=2k"), 2048u);
  EXPECT_FALSE(MkfsBlockSize(FsType::kXfs, "-b log=12")) << "mkfs.xfs 6 rejects log=";
}

TEST(MkfsArgv, BtrfsSingleDataSectorSizeUuid) {
  EXPECT_EQ(MkfsArgv(FsType::kBtrfs, "/dev/loop7", 4096, "U", "-O ^no-holes"),
            (V{"mkfs.btrfs", "-f", "-q", "-d", "single", "-s", "4096", "-U", "U", "-O", "^no-holes",
               "/dev/loop7"}));
  EXPECT_EQ(MkfsBlockSize(FsType::kBtrfs, "-s 4k -n 65536"), 4096u);  // -s is the sector size
  EXPECT_EQ(MkfsBlockSize(FsType::kBtrfs, "-b 1g"), std::nullopt);     // -b is the byte count
}

TEST(MkfsBlockSize, RefusesWhatItCannotRead) {
  EXPECT_EQ(MkfsBlockSize(FsType::kExt4, "-b").error(), "'-b' without a value");
  EXPECT_EQ(MkfsBlockSize(FsType::kExt4, "-b 3000").error(),
            "'-b 3000' is not a power of two from 1024 to 65536");
  EXPECT_EQ(MkfsBlockSize(FsType::kExt4, "-b 512").error(),
            "'-b 512' is not a power of two from 1024 to 65536");
  EXPECT_EQ(MkfsBlockSize(FsType::kExt4, "-b -4096").error(),  // mke2fs: "at least"
            "'-b -4096' is not a block size this tool can read");
  EXPECT_EQ(MkfsBlockSize(FsType::kXfs, "-b 4096").error(), "'-b 4096': unknown -b suboption (size=N)");
  EXPECT_EQ(MkfsBlockSize(FsType::kXfs, "-b size=").error(),
            "'-b size=' is not a block size this tool can read");
  EXPECT_EQ(MkfsBlockSize(FsType::kXfs, "-b size=4096s").error(),
            "'-b size=4096s' is not a block size this tool can read");
  EXPECT_EQ(MkfsBlockSize(FsType::kXfs, "-b size=128k").error(),
            "'-b size=128k' is not a power of two from 1024 to 65536");
}

TEST(FsType, ParsesOnlyTheSupportedFilesystems) {
  EXPECT_EQ(ParseFsType("ext4"), FsType::kExt4);
  EXPECT_EQ(ParseFsType("xfs"), FsType::kXfs);
  EXPECT_EQ(ParseFsType("btrfs"), FsType::kBtrfs);
  EXPECT_EQ(ParseFsType("zfs"), std::nullopt);
  EXPECT_EQ(ParseFsType("EXT4"), std::nullopt);
  EXPECT_EQ(FsTypeName(FsType::kXfs), "xfs");
}

}  // namespace
}  // namespace eofzero::scratch
