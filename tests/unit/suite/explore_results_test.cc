#include "suite/explore_results.h"

#include <gtest/gtest.h>

namespace eofzero::suite {
namespace {

LoggedRun Failed(const std::string& name) {
  LoggedRun r;
  r.config = "ext4/4k";
  r.case_name = name;
  r.workload = "pwrite eof:4080 1:1";
  r.crash = "freeze";
  r.outcome = oracles::Outcome::kFail;
  r.finding = explore::FindingKind{"invariant 'no stale bytes'", false};
  r.summary = "stale";
  return r;
}

TEST(ExploreResults, ALineSaysWhatGroupingNeedsAndReadsBack) {
  LoggedRun pass = Failed("xb");
  pass.outcome = oracles::Outcome::kPass;
  pass.finding.reset();
  const std::string text = ResultsLine(Failed("xa")).dump() + "\n" + ResultsLine(pass).dump() + "\n";
  auto parsed = ParseResults(text);
  ASSERT_TRUE(parsed) << parsed.error();
  ASSERT_EQ(parsed->runs.size(), 2u);
  EXPECT_FALSE(parsed->torn);
  EXPECT_EQ(parsed->good_bytes, text.size());
  const LoggedRun& a = parsed->runs[0];
  EXPECT_EQ(a.config, "ext4/4k");
  EXPECT_EQ(a.case_name, "xa");
  EXPECT_EQ(a.outcome, oracles::Outcome::kFail);
  ASSERT_TRUE(a.finding);
  EXPECT_EQ(a.finding->kind, "invariant 'no stale bytes'");
  EXPECT_FALSE(a.finding->after_crash);
  EXPECT_EQ(parsed->runs[1].outcome, oracles::Outcome::kPass);
  EXPECT_FALSE(parsed->runs[1].finding);
}

TEST(ExploreResults, ALastLineCutShortIsNotARunAndIsWrittenAgain) {
  const std::string whole = ResultsLine(Failed("xa")).dump() + "\n";
  const std::string last = ResultsLine(Failed("xb")).dump() + "\n";
  for (std::size_t cut = 1; cut <= last.size() - 1; cut += 7) {
    auto parsed = ParseResults(whole + last.substr(0, cut));
    ASSERT_TRUE(parsed) << parsed.error();
    EXPECT_EQ(parsed->runs.size(), 1u) << cut;
    EXPECT_TRUE(parsed->torn) << cut;
    EXPECT_EQ(parsed->good_bytes, whole.size()) << cut;
  }
  auto empty = ParseResults("");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->runs.empty());
  EXPECT_EQ(empty->good_bytes, 0u);
}

TEST(ExploreResults, AnotherLineThatIsNoRunsIsAnError) {
  const std::string whole = ResultsLine(Failed("xa")).dump() + "\n";
  auto parsed = ParseResults(whole + "{\"config\": 1}\n" + whole);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error(), "line 2: not a run's line of explore --results");
  // A FAIL without its finding cannot be grouped.
  auto no_finding = ParseResults(
      "{\"config\":\"ext4/4k\",\"case\":\"xa\",\"verdict\":\"FAIL\",\"finding\":\"\"}\n" + whole);
  EXPECT_FALSE(no_finding);
}

}  // namespace
}  // namespace eofzero::suite
