#include "oracles/disk_views.h"

#include <gtest/gtest.h>

#include "oracles/verdict.h"
#include "recorded_output.h"

namespace eofzero::oracles {
namespace {

using engine::DiskView;
using engine::DiskViews;

bool IsGroup(std::string_view line) { return line.starts_with("Group "); }

engine::FsckObservation E2fsck(const std::string& fixture, const std::string& source) {
  engine::FsckObservation f;
  f.fs = fsdriver::FsType::kExt4;
  f.run = testing::LoadRecorded("fsck/" + fixture);
  f.run->argv = {"e2fsck", "-fn", source};
  return f;
}

os::ProcessResult Dump(std::string out) {
  os::ProcessResult r;
  r.argv = {"dumpe2fs", "x"};
  r.out = std::move(out);
  return r;
}

const char* kGroups =
    "Group 0: (Blocks 1-8192) [ITABLE_ZEROED]\n"
    "  7000 free blocks, 2000 free inodes\n"
    "Group 1: (Blocks 8193-16384) [ITABLE_ZEROED]\n"
    "  8000 free blocks, 2048 free inodes\n";

// Two views that read the same filesystem (under their own names).
DiskViews Agreeing() {
  DiskViews v;
  v.kernel.source = "/dev/loop7";
  v.kernel.fsck = E2fsck("e2fsck_clean.txt", "/dev/loop7");
  v.kernel.metadata = Dump(kGroups);
  v.kernel.offline = engine::OfflineFacts{"libext2fs", 8192, 40960, "", Bytes(1024, 0), ""};
  DiskView disk = v.kernel;
  disk.source = "/tmp/x/ext4.img";
  v.disk = disk;
  return v;
}

TEST(DifferingLines, NoneWhenTheTextsAreEqual) {
  EXPECT_TRUE(DifferingLines(kGroups, kGroups, IsGroup).empty());
}

TEST(DifferingLines, EachChangeUnderItsGroupOnce) {
  std::string disk = kGroups;
  disk.replace(disk.find("8000 free blocks"), 4, "7999");
  EXPECT_EQ(DifferingLines(kGroups, disk, IsGroup),
            (std::vector<std::string>{"Group 1: (Blocks 8193-16384) [ITABLE_ZEROED]",
                                      "-   8000 free blocks, 2048 free inodes",
                                      "+   7999 free blocks, 2048 free inodes"}));
}

TEST(DifferingLines, AChangedHeaderIsItsOwnContext) {
  std::string disk = kGroups;
  disk.replace(disk.find("Group 0: (Blocks 1-8192)"), 24, "Group 0: (Blocks 1-8191)");
  const auto lines = DifferingLines(kGroups, disk, IsGroup);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "- Group 0: (Blocks 1-8192) [ITABLE_ZEROED]");
  EXPECT_EQ(lines[1], "+ Group 0: (Blocks 1-8191) [ITABLE_ZEROED]");
}

TEST(CompareDiskViews, ViewsThatReadTheSameAgreeWhateverTheirNames) {
  EXPECT_FALSE(CompareDiskViews(Agreeing()));
}

TEST(CompareDiskViews, NothingToCompareWithoutADiskView) {
  DiskViews v = Agreeing();
  v.kernel.fsck = E2fsck("e2fsck_corrupt.txt", "/dev/loop7");
  v.disk.reset();
  v.unavailable = "cannot drop the block device's cache";
  EXPECT_FALSE(CompareDiskViews(v));
}

TEST(CompareDiskViews, FsckCorruptThroughTheCacheCleanOnTheDisk) {
  DiskViews v = Agreeing();
  v.kernel.fsck = E2fsck("e2fsck_corrupt.txt", "/dev/loop7");
  auto d = CompareDiskViews(v);
  ASSERT_TRUE(d);
  ASSERT_FALSE(d->differences.empty());
  EXPECT_EQ(d->differences[0],
            "e2fsck: corrupt through the block device's cache, clean on the disk");
  EXPECT_EQ(d->kernel_fsck.verdict, FsckVerdict::kCorrupt);
  EXPECT_EQ(d->disk_fsck.verdict, FsckVerdict::kClean);
  EXPECT_FALSE(d->DiskCorrupt());
  EXPECT_EQ(d->kernel_source, "/dev/loop7");
  EXPECT_EQ(d->disk_source, "/tmp/x/ext4.img");
}

TEST(CompareDiskViews, TheSameVerdictWithOtherOutputDiffers) {
  DiskViews v = Agreeing();
  v.disk->fsck.run->out += "Free blocks count wrong (7000, counted=6999).\n";
  auto d = CompareDiskViews(v);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->differences[0], "e2fsck is clean on both views, but its output differs");
}

TEST(CompareDiskViews, MetadataLinesThatDifferAreTheEvidence) {
  DiskViews v = Agreeing();
  std::string disk = kGroups;
  disk.replace(disk.find("7000 free blocks"), 4, "7001");
  v.disk->metadata = Dump(disk);
  auto d = CompareDiskViews(v);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->differences,
            (std::vector<std::string>{
                "dumpe2fs: 1 line of the cache's metadata differs from the disk's"}));
  EXPECT_EQ(d->metadata_tool, "dumpe2fs");
  EXPECT_EQ(d->metadata_diff.front(), "Group 0: (Blocks 1-8192) [ITABLE_ZEROED]");
}

TEST(CompareDiskViews, TheOfflineReadersAnswersAreCompared) {
  DiskViews v = Agreeing();
  v.disk->offline->size = 7168;
  auto d = CompareDiskViews(v);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->differences[0],
            "libext2fs: the file's on-disk size is 8192 through the block device's cache, 7168 "
            "on the disk");
  v = Agreeing();
  v.disk->offline->bytes[5] = 1;
  ASSERT_TRUE(CompareDiskViews(v));
  v = Agreeing();
  v.disk->offline = engine::OfflineFacts{};
  v.disk->offline->error = "ext2fs_open /tmp/x/ext4.img: Bad magic number in super-block";
  d = CompareDiskViews(v);
  ASSERT_TRUE(d);
  EXPECT_NE(d->differences[0].find("failed on the disk: ext2fs_open"), std::string::npos);
}

TEST(CompareDiskViews, AMissingToolIsNotADisagreement) {
  DiskViews v = Agreeing();
  v.disk->fsck.run.reset();
  v.disk->fsck.not_run = os::Error{os::ErrorKind::kUnsupported, 0, "e2fsck not found"};
  v.disk->metadata.reset();
  v.disk->metadata_error = "dumpe2fs not found in PATH";
  EXPECT_FALSE(CompareDiskViews(v));
}

}  // namespace
}  // namespace eofzero::oracles

namespace eofzero::oracles {
namespace {

// xfs_repair's threads finish the AGs in any order, and on an image it warns
// about the host's geometry: only its verdict is compared.
TEST(CompareDiskViews, OnlyTheVerdictOfXfsRepairIsCompared) {
  DiskViews v = Agreeing();
  v.kernel.fsck.fs = fsdriver::FsType::kXfs;
  v.kernel.fsck.run = testing::LoadRecorded("fsck/xfs_repair_clean.txt");
  v.disk->fsck = v.kernel.fsck;
  v.disk->fsck.run->out = "Cannot get host filesystem geometry.\n" + v.disk->fsck.run->out;
  EXPECT_FALSE(CompareDiskViews(v));
  v.kernel.fsck.run = testing::LoadRecorded("fsck/xfs_repair_corrupt.txt");
  auto d = CompareDiskViews(v);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->differences[0],
            "xfs_repair: corrupt through the block device's cache, clean on the disk");
}

}  // namespace
}  // namespace eofzero::oracles
