// btrfs dump-tree parsing over outputs recorded from btrfs-progs 6.2
// (fixtures/btrfs: a 300M btrfs, -d single -m dup, files 257 (5000 bytes)
// and 258 (9000 bytes)).
#include "fsdriver/btrfs_tree.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace eofzero::fsdriver {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(EOFZERO_FIXTURES_DIR) + "/btrfs/" + name);
  EXPECT_TRUE(in) << name;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(BtrfsTree, ReadsTheChunkTree) {
  auto chunks = ParseBtrfsChunks(Fixture("dump_tree_chunk.txt"));
  ASSERT_TRUE(chunks) << chunks.error().Message();
  ASSERT_EQ(chunks->size(), 3u);
  EXPECT_EQ((*chunks)[0].logical, 13631488u);
  EXPECT_EQ((*chunks)[0].length, 8388608u);
  EXPECT_EQ((*chunks)[0].type, "DATA|single");
  ASSERT_EQ((*chunks)[0].stripes.size(), 1u);
  EXPECT_EQ((*chunks)[0].stripes[0].offset, 13631488u);
  EXPECT_EQ((*chunks)[2].type, "METADATA|DUP");
  EXPECT_EQ((*chunks)[2].stripes.size(), 2u);
}

TEST(BtrfsTree, MapsOnlyIntoSingleDataChunks) {
  std::vector<BtrfsChunk> chunks = {
      {1 << 20, 8 << 20, "DATA|single", {{1, 5 << 20}}},
      {16 << 20, 8 << 20, "METADATA|DUP", {{1, 30 << 20}, {1, 40 << 20}}},
      {32 << 20, 8 << 20, "DATA|RAID1", {{1, 50 << 20}, {2, 50 << 20}}}};
  auto m = MapBtrfsLogical(chunks, (1 << 20) + 4096);
  ASSERT_TRUE(m) << m.error().Message();
  EXPECT_EQ(m->first, (5u << 20) + 4096);
  EXPECT_EQ(m->second, (8u << 20) - 4096);  // to the chunk's end
  for (std::uint64_t logical : {std::uint64_t{17} << 20, std::uint64_t{33} << 20, std::uint64_t{0}}) {
    auto refused = MapBtrfsLogical(chunks, logical);
    ASSERT_FALSE(refused) << logical;
    EXPECT_EQ(refused.error().kind, os::ErrorKind::kUnsupported);
  }
  EXPECT_NE(MapBtrfsLogical(chunks, 33 << 20).error().context.find("DATA|RAID1"), std::string::npos);
}

TEST(BtrfsTree, ReadsAnInodesSizeAndExtents) {
  auto inode = ParseBtrfsInode(Fixture("dump_tree_fs.txt"), 258);
  ASSERT_TRUE(inode) << inode.error().Message();
  EXPECT_EQ(inode->size, 9000u);
  ASSERT_EQ(inode->extents.size(), 1u);
  EXPECT_EQ(inode->extents[0].type, "regular");
  EXPECT_EQ(inode->extents[0].disk_bytenr, 13639680u);
  EXPECT_EQ(inode->extents[0].length, 12288u);
  EXPECT_EQ(inode->extents[0].compression, 0u);
  auto e = FindBtrfsExtent(*inode, 8192);
  ASSERT_TRUE(e);
  EXPECT_FALSE(FindBtrfsExtent(*inode, 12288));
  auto f = ParseBtrfsInode(Fixture("dump_tree_fs.txt"), 257);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->size, 5000u);
  EXPECT_FALSE(ParseBtrfsInode(Fixture("dump_tree_fs.txt"), 999));
}

}  // namespace
}  // namespace eofzero::fsdriver
