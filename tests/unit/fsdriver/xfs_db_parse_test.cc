#include "fsdriver/xfs_db_parse.h"

#include <gtest/gtest.h>

#include "recorded_output.h"

namespace eofzero::fsdriver {
namespace {

using eofzero::testing::LoadRecorded;

XfsGeometry Agcount4() {
  auto geo = ParseXfsGeometry(LoadRecorded("xfs_db/geometry_agcount4.txt").out);
  EXPECT_TRUE(geo) << geo.error().Message();
  return geo.value_or(XfsGeometry{});
}

TEST(ParseXfsGeometry, RecordedSuperblock) {
  EXPECT_EQ(Agcount4(), (XfsGeometry{32000, 15, 4096}));
}

TEST(ParseXfsGeometry, RejectsIncompleteOrImplausible) {
  EXPECT_FALSE(ParseXfsGeometry("agblocks = 32000\nblocksize = 4096\n"));
  EXPECT_FALSE(ParseXfsGeometry("agblocks = 32000\nagblklog = 15\nblocksize = 4x96\n"));
  // 40000 blocks do not fit in 15 bits of agbno.
  EXPECT_FALSE(ParseXfsGeometry("agblocks = 40000\nagblklog = 15\nblocksize = 4096\n"));
  EXPECT_FALSE(ParseXfsGeometry("agblocks = 32000\nagblklog = 15\nblocksize = 3000\n"));
}

TEST(SplitXfsGeometry, OneRunsOutputIsTheGeometryThenTheMap) {
  const auto out = LoadRecorded("xfs_db/geometry_and_single_extent.txt").out;
  const auto [geo, map] = SplitXfsGeometry(out);
  EXPECT_EQ(ParseXfsGeometry(geo).value_or(XfsGeometry{}), (XfsGeometry{32000, 15, 4096}));
  auto parsed = ParseXfsInodeMap(map);
  ASSERT_TRUE(parsed) << parsed.error().Message();
  EXPECT_EQ(parsed->size, 5000u);
  ASSERT_EQ(parsed->extents.size(), 1u);
  EXPECT_EQ(parsed->extents[0], (XfsBmapExtent{0, 10, 0, 10, 2, false}));
  // Unsplit, the map's parser refuses the geometry's lines.
  EXPECT_FALSE(ParseXfsInodeMap(out));
  // A bad inode after good geometry: the map says so.
  EXPECT_FALSE(ParseXfsInodeMap(SplitXfsGeometry("agblocks = 32000\nagblklog = 15\nblocksize = "
                                                 "4096\nbad inode number 999999999\n")
                                    .second));
  // No geometry at all: the whole output is the (incomplete) geometry.
  const auto [none, rest] = SplitXfsGeometry("xfs_db: cannot open /dev/x\n");
  EXPECT_FALSE(ParseXfsGeometry(none));
  EXPECT_EQ(rest, "");
}

TEST(ParseXfsInodeMap, SingleExtentInAg0) {
  auto map = ParseXfsInodeMap(LoadRecorded("xfs_db/single_extent.txt").out);
  ASSERT_TRUE(map) << map.error().Message();
  EXPECT_EQ(map->size, 5000u);
  ASSERT_EQ(map->extents.size(), 1u);
  EXPECT_EQ(map->extents[0], (XfsBmapExtent{0, 10, 0, 10, 2, false}));
  auto at = XfsExtentByteOffset(Agcount4(), map->extents[0]);
  ASSERT_TRUE(at);
  EXPECT_EQ(*at, 10u * 4096);  // FIEMAP: sector 80
}

TEST(ParseXfsInodeMap, Ag1ExtentIsNotALinearBlockNumber) {
  auto map = ParseXfsInodeMap(LoadRecorded("xfs_db/ag1_extent.txt").out);
  ASSERT_TRUE(map) << map.error().Message();
  EXPECT_EQ(map->size, 10000u);
  ASSERT_EQ(map->extents.size(), 1u);
  const auto& e = map->extents[0];
  EXPECT_EQ(e.startblock, 32778u);
  EXPECT_EQ(e.agno, 1u);
  EXPECT_EQ(e.agbno, 10u);
  auto at = XfsExtentByteOffset(Agcount4(), e);
  ASSERT_TRUE(at);
  // FIEMAP said sector 256080; `convert fsblock 32778 byte` says the same.
  EXPECT_EQ(*at, 256080u * 512);
  EXPECT_EQ(LoadRecorded("xfs_db/convert_ag1.txt").out, "0x7d0a000 (131112960)\n");
  EXPECT_NE(*at, e.startblock * 4096);  // the naive reading is wrong
}

TEST(ParseXfsInodeMap, SparseFileHasAHole) {
  auto map = ParseXfsInodeMap(LoadRecorded("xfs_db/sparse.txt").out);
  ASSERT_TRUE(map) << map.error().Message();
  EXPECT_EQ(map->size, 1054576u);
  ASSERT_EQ(map->extents.size(), 2u);
  EXPECT_TRUE(FindXfsExtent(*map, 0));
  EXPECT_FALSE(FindXfsExtent(*map, 1));
  EXPECT_FALSE(FindXfsExtent(*map, 255));
  auto last = FindXfsExtent(*map, 257);
  ASSERT_TRUE(last);
  EXPECT_EQ(last->startblock, 31u);
  EXPECT_FALSE(FindXfsExtent(*map, 258));
}

TEST(ParseXfsInodeMap, UnwrittenFlag) {
  auto map = ParseXfsInodeMap(LoadRecorded("xfs_db/unwritten.txt").out);
  ASSERT_TRUE(map) << map.error().Message();
  ASSERT_EQ(map->extents.size(), 2u);
  EXPECT_FALSE(map->extents[0].unwritten);
  EXPECT_TRUE(map->extents[1].unwritten);
  EXPECT_EQ(map->extents[1].count, 3u);
}

TEST(ParseXfsInodeMap, EmptyFileHasNoExtents) {
  auto map = ParseXfsInodeMap(LoadRecorded("xfs_db/empty.txt").out);
  ASSERT_TRUE(map) << map.error().Message();
  EXPECT_EQ(map->size, 0u);
  EXPECT_TRUE(map->extents.empty());
}

TEST(ParseXfsInodeMap, BadInodeIsAnErrorDespiteExitZero) {
  auto run = LoadRecorded("xfs_db/bad_inode.txt");
  EXPECT_EQ(run.exit_code, 0);
  auto map = ParseXfsInodeMap(run.out);
  ASSERT_FALSE(map);
  EXPECT_EQ(map.error().kind, os::ErrorKind::kChild);
  EXPECT_NE(map.error().context.find("bad inode number"), std::string::npos);
}

TEST(ParseXfsInodeMap, RejectsMalformedLines) {
  EXPECT_FALSE(ParseXfsInodeMap("core.size = 12a\n"));
  EXPECT_FALSE(ParseXfsInodeMap("data offset 0 startblock 24 (0/24) count 1 flag 0\n"));
  EXPECT_FALSE(
      ParseXfsInodeMap("core.size = 1\ndata offset 0 startblock 24 0/24 count 1 flag 0\n"));
  EXPECT_FALSE(
      ParseXfsInodeMap("core.size = 1\ndata offset 0 startblock 24 (0/24) count 0 flag 0\n"));
  EXPECT_FALSE(
      ParseXfsInodeMap("core.size = 1\ndata offset 0 startblock 24 (0/24) count 2 flag 0\n"
                       "data offset 1 startblock 90 (0/90) count 1 flag 0\n"));
}

TEST(XfsExtentByteOffset, RefusesAPairThatDisagreesWithStartblock) {
  XfsGeometry geo{32000, 15, 4096};
  EXPECT_FALSE(XfsExtentByteOffset(geo, {0, 32010, 1, 10, 1, false}));     // linear, not fsblock
  EXPECT_FALSE(XfsExtentByteOffset(geo, {0, 32000, 0, 32000, 1, false}));  // past the AG
  EXPECT_FALSE(XfsExtentByteOffset(geo, {0, 31999, 0, 31999, 2, false}));  // crosses the AG end
}

}  // namespace
}  // namespace eofzero::fsdriver
