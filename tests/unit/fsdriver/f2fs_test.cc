// The f2fs driver's pure parts over outputs recorded from f2fs-tools 1.15
// (fixtures/f2fs, fixtures/fsck/f2fs_*: a 128 MiB image made by mkfs.f2fs and
// filled by sload.f2fs with big (4200000 bytes), tiny (4 bytes, inline) and
// two_blocks (5000 bytes); fixtures/f2fs/README.md).
#include "fsdriver/f2fs_dump.h"

#include <gtest/gtest.h>

#include "fsdriver/registry.h"
#include "recorded_output.h"

namespace eofzero::fsdriver {
namespace {

using eofzero::testing::LoadRecorded;

F2fsInode Inode(const std::string& fixture, std::uint64_t ino) {
  auto node = ParseF2fsInode(LoadRecorded("f2fs/" + fixture).out, ino);
  EXPECT_TRUE(node) << node.error().Message();
  return node.value_or(F2fsInode{});
}

TEST(F2fsDump, ReadsAFilesSizeAndItsBlocks) {
  const F2fsInode f = Inode("dump_inode_two_blocks.txt", 7);
  EXPECT_EQ(f.size, 5000u);
  EXPECT_EQ(f.inline_flags, 0x1u);  // inline xattrs only
  EXPECT_EQ(f.addrs.size(), 2u);
  auto b0 = F2fsBlockOf(f, 0);
  ASSERT_TRUE(b0) << b0.error().Message();
  EXPECT_EQ(b0->address, 0x2102u);
  EXPECT_EQ(b0->how, "");
  EXPECT_EQ(b0->run, 2u);
  auto b1 = F2fsBlockOf(f, 1);
  ASSERT_TRUE(b1);
  EXPECT_EQ(b1->address, 0x2103u);
  EXPECT_EQ(b1->run, 1u);
  // Not printed: NULL_ADDR, a hole.
  auto b2 = F2fsBlockOf(f, 2);
  ASSERT_TRUE(b2);
  EXPECT_EQ(b2->address, std::nullopt);
  EXPECT_EQ(b2->how, "hole");
}

TEST(F2fsDump, ABlockPastTheInodesOwnAddressesIsRefusedWithWhy) {
  const F2fsInode big = Inode("dump_inode_big.txt", 4);
  EXPECT_EQ(big.size, 4200000u);
  EXPECT_EQ(big.addrs.size(), 873u);  // 923 less the 50 inline xattr slots
  auto last_own = F2fsBlockOf(big, 872);
  ASSERT_TRUE(last_own) << last_own.error().Message();
  EXPECT_EQ(last_own->address, 0x1d68u);
  EXPECT_EQ(last_own->run, 1u);
  auto later = F2fsBlockOf(big, 873);
  ASSERT_FALSE(later);
  EXPECT_EQ(later.error().kind, os::ErrorKind::kUnsupported);
  EXPECT_NE(later.error().Message().find("mapped through a node block"), std::string::npos)
      << later.error().Message();
}

TEST(F2fsDump, InlineDataHasNoBlock) {
  const F2fsInode tiny = Inode("dump_inode_tiny.txt", 6);
  EXPECT_EQ(tiny.size, 4u);
  auto b = F2fsBlockOf(tiny, 0);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->how, "inline data");
  EXPECT_EQ(b->address, std::nullopt);
}

TEST(F2fsDump, AFreeNodeIdIsNoInode) {
  auto none = ParseF2fsInode(LoadRecorded("f2fs/dump_inode_unused.txt").out, 99);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().Message(), "dump.f2fs prints no inode 99 (a free node id?)");
}

TEST(F2fsDump, ReservedAndCompressedAddresses) {
  F2fsInode f;
  f.size = 3 * 4096;
  f.addrs = {{0, 0xFFFFFFFF}, {1, 0xFFFFFFFE}, {2, 500}};
  auto reserved = F2fsBlockOf(f, 0);
  ASSERT_TRUE(reserved);
  EXPECT_EQ(reserved->how, "unwritten");
  auto compressed = F2fsBlockOf(f, 1);
  ASSERT_FALSE(compressed);
  EXPECT_EQ(compressed.error().kind, os::ErrorKind::kUnsupported);
  // An inline directory (F2FS_INLINE_DENTRY) has no block 0 either.
  F2fsInode dir;
  dir.inline_flags = 0x4;
  auto inline_dir = F2fsBlockOf(dir, 0);
  ASSERT_TRUE(inline_dir);
  EXPECT_EQ(inline_dir->how, "inline data");
  // Extra attributes move the file's first address (i_addr[extra_isize / 4]).
  F2fsInode extra;
  extra.inline_flags = 0x20;
  extra.extra_isize = 36;
  extra.addrs = {{9, 700}, {10, 701}};
  auto first = F2fsBlockOf(extra, 0);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->address, 700u);
  EXPECT_EQ(first->run, 2u);
}

TEST(F2fsDump, TheMetadataDumpKeepsEverythingButItsRunTime) {
  const std::string out = LoadRecorded("f2fs/dump_metadata.txt").out;
  const std::string kept = F2fsMetadataLines(out);
  EXPECT_EQ(kept.find("Done:"), std::string::npos);
  EXPECT_NE(kept.find("valid_block_count"), std::string::npos);
  EXPECT_NE(kept.find("free_segment_count"), std::string::npos);
  EXPECT_EQ(F2fsMetadataLines(out + "\nDone: 0.000419 secs\n"), kept + "\n");
  // The same bytes, another run time: the same kept text.
  std::string other = out;
  other.replace(other.find("Done: 0.000000"), 14, "Done: 0.001234");
  EXPECT_EQ(F2fsMetadataLines(other), kept);
}

TEST(F2fsDriver, MkfsSetsTheUuidAndRefusesOtherBlockSizes) {
  const FsDriver& d = Driver(FsType::kF2fs);
  EXPECT_EQ(d.MkfsCommand(std::nullopt, "u-u"),
            (std::vector<std::string>{"mkfs.f2fs", "-f", "-q", "-U", "u-u", "-t", "0"}));
  EXPECT_EQ(d.BlockSizeRefused(4096), "");
  EXPECT_EQ(d.BlockSizeRefused(1024),
            "f2fs blocks are 4096 bytes (F2FS_BLKSIZE); mkfs.f2fs makes no 1024-byte ones");
  EXPECT_TRUE(d.IsUuidOption({"-U", "x"}, 0));
  EXPECT_EQ(d.FsckArgv("/dev/vda", FsckSource::kDevice),
            (std::vector<std::string>{"fsck.f2fs", "--dry-run", "/dev/vda"}));
  EXPECT_EQ(d.FsckCommandText(), "fsck.f2fs --dry-run");
  EXPECT_EQ(d.MetadataDumpArgv("/i.img"), (std::vector<std::string>{"dump.f2fs", "-d", "1", "/i.img"}));
  EXPECT_EQ(d.OwnMountOptions(), "noinline_data");
}

TEST(F2fsDriver, FsckRecorded) {
  const FsDriver& d = Driver(FsType::kF2fs);
  auto clean = d.ClassifyFsck(LoadRecorded("fsck/f2fs_fsck_clean.txt"));
  EXPECT_EQ(clean.verdict, FsckVerdict::kClean) << clean.reason;
  auto corrupt = d.ClassifyFsck(LoadRecorded("fsck/f2fs_fsck_corrupt.txt"));
  EXPECT_EQ(corrupt.verdict, FsckVerdict::kCorrupt) << corrupt.reason;
  EXPECT_EQ(corrupt.reason, "fsck.f2fs exited 255: corruption found");
  // A file's data block changed: no metadata is wrong, fsck says clean.
  auto data = d.ClassifyFsck(LoadRecorded("fsck/f2fs_fsck_data_block_changed.txt"));
  EXPECT_EQ(data.verdict, FsckVerdict::kClean) << data.reason;
  // The primary superblock zeroed: fsck.f2fs checks with the backup and
  // exits 0 with every check [Ok..]; the broken superblock is corruption.
  auto sb0 = d.ClassifyFsck(LoadRecorded("fsck/f2fs_fsck_primary_superblock_zeroed.txt"));
  EXPECT_EQ(sb0.verdict, FsckVerdict::kCorrupt) << sb0.reason;
  EXPECT_EQ(sb0.reason, "fsck.f2fs exited 0: the primary superblock is not valid (checked with the backup)");
  auto none = d.ClassifyFsck(LoadRecorded("fsck/f2fs_fsck_not_f2fs.txt"));
  EXPECT_EQ(none.verdict, FsckVerdict::kToolError) << none.reason;
  os::ProcessResult mounted;
  mounted.exit_code = 255;
  mounted.out = "Info: Mounted device!\n\tError: Not available on mounted device!\n";
  auto m = d.ClassifyFsck(mounted);
  EXPECT_EQ(m.verdict, FsckVerdict::kToolError);
  EXPECT_EQ(m.reason, "fsck.f2fs ran on a mounted filesystem");
  os::ProcessResult killed;
  killed.exit_code = -9;
  EXPECT_EQ(d.ClassifyFsck(killed).verdict, FsckVerdict::kToolError);
}

}  // namespace
}  // namespace eofzero::fsdriver
