#include "suite/sweep_shards.h"

#include <gtest/gtest.h>

namespace eofzero::suite {
namespace {

TEST(SweepSlices, SlicesAreContiguousCoverEveryTupleOnceAndDifferByOneAtMost) {
  for (std::size_t total : {1u, 2u, 7u, 16u, 33u})
    for (std::size_t n = 1; n <= total; ++n) {
      std::size_t next = 0;
      for (std::size_t k = 1; k <= n; ++k) {
        const auto [first, last] = SliceRange(total, {k, n});
        EXPECT_EQ(first, next) << total << " " << k << "/" << n;
        EXPECT_GE(last - first, total / n);
        EXPECT_LE(last - first, total / n + 1);
        next = last;
      }
      EXPECT_EQ(next, total);
    }
}

Variant V(const std::string& name, std::uint32_t block_size = 0) {
  Variant v;
  v.spec.name = name;
  if (block_size) v.spec.block_size = block_size;
  return v;
}

report::RunRecord Slice(const std::vector<std::pair<std::string, std::vector<std::string>>>& configs) {
  report::RunRecord r;
  for (const auto& [label, names] : configs) {
    report::ConfigRecord c;
    c.config.fs = label.substr(0, label.find('/'));
    c.config.block_size = label.ends_with("1k") ? 1024 : 4096;
    for (const auto& n : names) {
      report::CaseRecord cr;
      cr.case_name = n;
      cr.outcome = oracles::Outcome::kPass;
      c.cases.push_back(cr);
    }
    r.configs.push_back(c);
  }
  return r;
}

TEST(SweepSlices, TheSlicesReportsJoinInTheTupleOrderAndARunsConfigurationOrder) {
  RunOptions options;  // ext4, then xfs; 4k
  const std::vector<Variant> variants = {V("a"), V("b"), V("c", 1024), V("d")};
  std::vector<SliceReport> slices(2);
  slices[0].record = Slice({{"ext4/4k", {"a", "b"}}, {"xfs/4k", {"a", "b"}}});
  slices[1].record = Slice({{"ext4/1k", {"c"}}, {"ext4/4k", {"d"}}, {"xfs/1k", {"c"}},
                            {"xfs/4k", {"d"}}});
  const auto joined = JoinSlices(slices, variants, options);
  ASSERT_EQ(joined.size(), 4u);
  EXPECT_EQ(joined[0].config.Short(), "ext4/1k");
  EXPECT_EQ(joined[1].config.Short(), "ext4/4k");
  EXPECT_EQ(joined[2].config.Short(), "xfs/1k");
  ASSERT_EQ(joined[1].cases.size(), 3u);
  EXPECT_EQ(joined[1].cases[0].case_name, "a");
  EXPECT_EQ(joined[1].cases[2].case_name, "d");
  EXPECT_EQ(Outcomes(joined).size(), 8u);
}

TEST(SweepSlices, ASliceWithoutAReportIsItsTuplesAsNotRunErrorsSayingWhy) {
  RunOptions options;
  options.filesystems = {fsdriver::FsType::kExt4};
  const std::vector<Variant> variants = {V("a"), V("b"), V("c")};
  std::vector<SliceReport> slices(2);
  slices[0].why_none = "the worker was killed by signal 9 (SIGKILL) and it wrote no report";
  slices[1].record = Slice({{"ext4/4k", {"c"}}});
  const auto joined = JoinSlices(slices, variants, options);
  ASSERT_EQ(joined.size(), 1u);
  ASSERT_EQ(joined[0].cases.size(), 3u);
  EXPECT_EQ(joined[0].cases[0].case_name, "a");
  EXPECT_TRUE(joined[0].cases[0].not_run);
  EXPECT_EQ(joined[0].cases[0].outcome, oracles::Outcome::kError);
  EXPECT_EQ(joined[0].cases[1].summary, "not run: " + slices[0].why_none);
  EXPECT_EQ(joined[0].cases[2].outcome, oracles::Outcome::kPass);
  EXPECT_EQ(joined[0].setup_error, slices[0].why_none);
}

}  // namespace
}  // namespace eofzero::suite
