// A failing run's finding, and the signature it is counted under.
#include "explore/finding.h"

#include <gtest/gtest.h>

namespace eofzero::explore {
namespace {

oracles::Verdict Failed() {
  oracles::Verdict v;
  v.outcome = oracles::Outcome::kFail;
  v.model_judged = true;
  return v;
}

TEST(PrimaryFinding, IsTheFirstInvariantBrokenElseTheKind) {
  oracles::Verdict v = Failed();
  v.invariants.push_back({oracles::Invariant::kPromisedData, engine::Oracle::kDirectRead,
                          engine::Phase::kAfterCrash});
  v.invariants.push_back({oracles::Invariant::kNoStaleBytes, engine::Oracle::kMmap,
                          engine::Phase::kBeforeCrash});
  EXPECT_EQ(PrimaryFinding(v), (FindingKind{"invariant 'no stale bytes'", false}));
  oracles::Verdict size = Failed();
  size.wrong_size = oracles::SizeFinding{engine::Phase::kAfterCrash, 12, 8192, 4080};
  size.kinds = {oracles::FindingKind::kSize};
  EXPECT_EQ(PrimaryFinding(size), (FindingKind{"size", true}));
  oracles::Verdict pass;
  pass.outcome = oracles::Outcome::kPass;
  EXPECT_FALSE(PrimaryFinding(pass));
}

TEST(Signature, IsTheOperationsOfTheWorkloadAndTheDistanceOfTheLast) {
  Geometry g;
  auto a = Concretize({Op::kFpunch, Offset::kBlockStart, Length::kBs}, 4080, g);
  auto b = Concretize({Op::kPwriteDirect, Offset::kNextBlock, Length::kBs}, 4080, g);
  ASSERT_TRUE(a && b);
  const FindingKind stale{"invariant 'no stale bytes'", true};
  const Signature s = SignatureOf("xfs/4k", stale, {*a, *b});
  EXPECT_EQ(s.Text(),
            "xfs/4k: invariant 'no stale bytes' after the crash; fpunch, pwrite O_DIRECT at "
            "next-block");
  EXPECT_EQ(GroupOf("xfs/4k", stale, {*a, *b}), SignatureOf("xfs/4k", stale, {*b}));
}

}  // namespace
}  // namespace eofzero::explore
