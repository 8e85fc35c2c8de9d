#include "oracles/gap_check.h"

#include <gtest/gtest.h>

#include "engine/sentinel.h"

namespace eofzero::oracles {
namespace {

TEST(CheckGap, ZeroGapIsClean) {
  Bytes block(4096, 0x5a);
  std::fill(block.begin() + 4080, block.end(), 0);
  auto f = CheckGap(block, {4080, 4096});
  EXPECT_TRUE(f.clean());
  EXPECT_FALSE(f.blind());
  EXPECT_EQ(f.bytes_examined, 16u);
}

TEST(CheckGap, SentinelInGapIsFoundAndCounted) {
  Bytes block = engine::SentinelBlock(4096);
  auto f = CheckGap(block, {4080, 4096});
  EXPECT_FALSE(f.clean());
  EXPECT_EQ(f.nonzero, 16u);
  EXPECT_EQ(f.sentinel, 16u);
  ASSERT_EQ(f.dirty.size(), 1u);
  EXPECT_EQ(f.dirty[0], (ByteRange{4080, 4096}));
}

TEST(CheckGap, SingleNonZeroByteFailsAndIsNotCalledSentinel) {
  Bytes block(4096, 0);
  block[4095] = 0x01;
  auto f = CheckGap(block, {4080, 4096});
  EXPECT_FALSE(f.clean());
  EXPECT_EQ(f.nonzero, 1u);
  EXPECT_EQ(f.sentinel, 0u);
  EXPECT_EQ(f.dirty[0], (ByteRange{4095, 4096}));
}

TEST(CheckGap, SeparateRunsAreReportedSeparately) {
  Bytes block(1024, 0);
  block[1000] = block[1001] = block[1010] = 0xff;
  auto f = CheckGap(block, {1000, 1024});
  ASSERT_EQ(f.dirty.size(), 2u);
  EXPECT_EQ(f.dirty[0], (ByteRange{1000, 1002}));
  EXPECT_EQ(f.dirty[1], (ByteRange{1010, 1011}));
}

TEST(CheckGap, BytesOutsideTheGapAreIgnored) {
  Bytes block(4096, 0xee);
  std::fill(block.begin() + 4095, block.end(), 0);
  EXPECT_TRUE(CheckGap(block, {4095, 4096}).clean());
}

TEST(CheckGap, ShortViewJudgesOnlyWhatItHolds) {
  Bytes block(4080, 0x5a);  // a buffered read that stopped at EOF
  auto f = CheckGap(block, {4080, 4096});
  EXPECT_TRUE(f.blind());
  EXPECT_EQ(f.bytes_examined, 0u);
  Bytes partial(4090, 0);
  partial[4085] = 1;
  auto g = CheckGap(partial, {4080, 4096});
  EXPECT_EQ(g.bytes_examined, 10u);
  EXPECT_FALSE(g.clean());
}

TEST(CheckGap, ClassifiesEveryByteOnceSentinelOtherOrClean) {
  Bytes block = engine::SentinelBlock(4096);
  block[4084] = 0;     // a zero inside the sentinel
  block[4090] = 0x01;  // not the sentinel's byte there
  const Bytes mine = {block[4094], block[4095]};
  const engine::WrittenRange written[] = {{{4094, 4096}, mine}};  // the case's own data
  auto f = CheckGap(block, {4080, 4096}, written);
  EXPECT_EQ(f.nonzero, 13u);
  EXPECT_EQ(f.sentinel, 12u);
  EXPECT_EQ(f.sentinel_runs,
            (std::vector<ByteRange>{{4080, 4084}, {4085, 4090}, {4091, 4094}}));
  EXPECT_EQ(f.ByteAt(4080), GapByte::kSentinel);
  EXPECT_EQ(f.ByteAt(4084), GapByte::kClean) << "zero";
  EXPECT_EQ(f.ByteAt(4090), GapByte::kOther);
  EXPECT_EQ(f.ByteAt(4094), GapByte::kClean) << "the case wrote it: expected there";
  EXPECT_EQ(f.ByteAt(4079), GapByte::kClean) << "outside the gap, though it is the sentinel";
}

TEST(Sentinel, PatternIsPositional) {
  Bytes block = engine::SentinelBlock(64);
  EXPECT_EQ(std::string(block.begin(), block.begin() + 16), "EOFZERO-SENTINEL");
  for (std::uint64_t i = 0; i < block.size(); ++i) EXPECT_TRUE(engine::IsSentinelByte(i, block[i]));
  EXPECT_FALSE(engine::IsSentinelByte(0, 'O'));
  EXPECT_FALSE(engine::IsSentinelByte(5, 0));
}

}  // namespace
}  // namespace eofzero::oracles
