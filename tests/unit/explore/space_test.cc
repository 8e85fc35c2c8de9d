// The explorer's space: what is in it, how it is counted, listed and sampled.
#include "explore/space.h"

#include <gtest/gtest.h>

#include <set>

namespace eofzero::explore {
namespace {

std::vector<std::vector<Concrete>> All(Space& space, int depth) {
  std::vector<std::vector<Concrete>> out;
  space.ForEach(depth, [&](const std::vector<Concrete>& w) {
    out.push_back(w);
    return true;
  });
  return out;
}

TEST(Space, TheCountIsWhatIsListed) {
  for (bool reflink : {true, false}) {
    Geometry g;
    g.reflink = reflink;
    Bounds b = DefaultBounds();
    b.persists = {Persist::kNone, Persist::kFsync};  // depth 2 stays small
    b.lengths = {Length::k1, Length::kBs};
    Space space(b, g);
    for (int depth = 1; depth <= 2; ++depth)
      EXPECT_EQ(space.Count(depth), All(space, depth).size()) << "depth " << depth;
  }
}

TEST(Space, ASampleIsDistinctRepeatableAndFromTheSpace) {
  Bounds b = DefaultBounds();
  b.persists = {Persist::kNone, Persist::kFsync};
  Space space(b, Geometry{});
  const auto all = All(space, 2);
  std::set<std::string> listed;
  for (const auto& w : all) listed.insert(Describe(w));
  const auto one = space.Sample(2, 50, 7), again = space.Sample(2, 50, 7),
             other = space.Sample(2, 50, 8);
  ASSERT_EQ(one.size(), 50u);
  std::set<std::string> seen;
  for (const auto& w : one) {
    EXPECT_TRUE(listed.contains(Describe(w))) << Describe(w);
    seen.insert(Describe(w));
  }
  EXPECT_EQ(seen.size(), 50u) << "a sample repeats a workload";
  for (std::size_t i = 0; i < one.size(); ++i) EXPECT_EQ(Describe(one[i]), Describe(again[i]));
  bool differs = false;
  for (std::size_t i = 0; i < one.size(); ++i) differs |= Describe(one[i]) != Describe(other[i]);
  EXPECT_TRUE(differs) << "another seed drew the same sample";
  EXPECT_EQ(space.Sample(2, all.size() + 5, 1).size(), all.size());
}

// What the filesystem must refuse, or what changes nothing, is not in it.
TEST(Space, NoChoiceTheFilesystemMustRefuse) {
  Geometry g;  // the old EOF 4080, 4 KiB blocks
  g.reflink = false;
  for (const Concrete& c : Choices(g.old_eof, DefaultBounds(), g)) {
    const Op op = c.action.op;
    EXPECT_NE(op, Op::kReflink) << "reflink without reflink";
    EXPECT_NE(op, Op::kFcollapse) << "a collapse that reaches EOF: " << Describe({c});
    if (op == Op::kPwriteDirect) {
      EXPECT_EQ(c.offset % 512, 0u) << Describe({c});
      EXPECT_EQ(c.length % 512, 0u) << Describe({c});
    }
    if (op == Op::kTruncate) EXPECT_NE(c.offset, g.old_eof);
    if (op == Op::kTruncate) EXPECT_NE(c.offset, 0u) << "an empty file has no gap to read";
    if (op == Op::kMwrite) EXPECT_LE(c.offset + c.length, 4096u) << "past the EOF page";
    if (op == Op::kFinsert) {
      EXPECT_LT(c.offset, g.old_eof);
      EXPECT_EQ(c.length % 4096, 0u);
    }
    if (c.action.persist == Persist::kODsync || c.action.persist == Persist::kRwfDsync)
      EXPECT_TRUE(InfoOf(op).data_write) << Describe({c});
  }
}

TEST(Space, ClassesAreMeasuredFromTheSizeReached) {
  Geometry g;
  auto c = Concretize({Op::kPwrite, Offset::kNextBlock, Length::kBs}, 4080, g);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->offset, 4096u);
  EXPECT_EQ(c->size_after, 8192u);
  auto d = Concretize({Op::kFalloc, Offset::kInBlock, Length::k1}, c->size_after + 100, g);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->offset, 8292u + (12288u - 8292u) / 2);
  auto far = Concretize({Op::kTruncate, Offset::kFar}, 4080, g);
  ASSERT_TRUE(far);
  EXPECT_EQ(far->size_after, 4u << 20);
  auto collapse = Concretize({Op::kFcollapse, Offset::kPrevBlock, Length::kBs}, 3 * 4096 + 5, g);
  ASSERT_TRUE(collapse);
  EXPECT_EQ(collapse->offset, 2u * 4096);
  EXPECT_EQ(collapse->size_after, 2u * 4096 + 5);
  EXPECT_FALSE(Concretize({Op::kFcollapse, Offset::kBlockStart, Length::kBs}, 3 * 4096 + 5, g))
      << "the collapse would reach EOF";
  auto append = Concretize({Op::kPwriteAppend, Offset::kFar, Length::k512}, 4080, g);
  ASSERT_TRUE(append);
  EXPECT_EQ(append->offset, 4080u) << "O_APPEND writes at EOF whatever the offset";
}

TEST(Space, TwoClassesWithTheSameNumbersAreOneChoice) {
  Geometry g;
  // At an aligned size "eof" and "next-block" are the same offset.
  std::set<std::tuple<Op, std::uint64_t, std::uint64_t, Persist>> seen;
  for (const Concrete& c : Choices(8192, DefaultBounds(), g))
    EXPECT_TRUE(seen.insert({c.action.op, c.offset, c.length, c.action.persist}).second)
        << Describe({c});
}

}  // namespace
}  // namespace eofzero::explore
