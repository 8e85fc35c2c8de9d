// The reducer's candidates: each valid, each one step simpler, in order.
#include "explore/reduce.h"

#include <gtest/gtest.h>

namespace eofzero::explore {
namespace {

std::vector<Concrete> W(std::vector<Action> actions) {
  auto w = Reconcretize(actions, Geometry{});
  EXPECT_TRUE(w);
  return w ? *w : std::vector<Concrete>{};
}

TEST(Reduce, DropsEachOperationOfAWorkloadOfMoreThanOne) {
  const auto w = W({{Op::kFpunch, Offset::kBlockStart, Length::kBs, Persist::kFsync},
                    {Op::kPwrite, Offset::kNextBlock, Length::kBs, Persist::kSyncRange}});
  const auto c = Candidates(w, Shrink::kDrop, Geometry{});
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(Describe(c[0].workload), "pwrite next-block:4096 bs:4096 +sync_range");
  EXPECT_EQ(Describe(c[1].workload), "fpunch block-start:0 bs:4096 +fsync");
  EXPECT_TRUE(Candidates({w[0]}, Shrink::kDrop, Geometry{}).empty());
}

TEST(Reduce, WeakensFsyncToFdatasyncAndTheRestToNone) {
  const auto w = W({{Op::kFpunch, Offset::kBlockStart, Length::kBs, Persist::kFsync},
                    {Op::kPwrite, Offset::kNextBlock, Length::kBs, Persist::kRwfDsync}});
  const auto c = Candidates(w, Shrink::kPersist, Geometry{});
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].workload[0].action.persist, Persist::kFdatasync);
  EXPECT_EQ(c[1].workload[1].action.persist, Persist::kNone);
}

TEST(Reduce, MovesLengthsAndOffsetsTowardsTheSimplestClassesThatAreValid) {
  const auto w = W({{Op::kPwriteDirect, Offset::kFar, Length::kFolio}});
  const auto lengths = Candidates(w, Shrink::kLength, Geometry{});
  std::vector<std::string> got;
  for (const auto& c : lengths) got.push_back(NameOf(c.workload[0].action.length));
  // O_DIRECT: only lengths that are multiples of 512.
  EXPECT_EQ(got, (std::vector<std::string>{"512", "bs"}));
  got.clear();
  for (const auto& c : Candidates(w, Shrink::kOffset, Geometry{}))
    got.push_back(NameOf(c.workload[0].action.offset));
  // 4080 and 4088 are not 512-aligned: eof and in-block are no O_DIRECT offsets here.
  EXPECT_EQ(got, (std::vector<std::string>{"next-block", "block-start", "next-folio"}));
}

TEST(Reduce, ACandidateIsConcretizedAgainFromTheOldEof) {
  // Dropping the first operation moves the second's "next-block" back.
  const auto w = W({{Op::kTruncate, Offset::kFar},
                    {Op::kPwrite, Offset::kNextBlock, Length::kBs}});
  EXPECT_EQ(w[1].offset, 4u << 20);
  const auto c = Candidates(w, Shrink::kDrop, Geometry{});
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(c[0].workload.size(), 1u);
  EXPECT_EQ(c[0].workload[0].offset, 4096u);
}

}  // namespace
}  // namespace eofzero::explore
