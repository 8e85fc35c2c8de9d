#include "suite/explore_report.h"

#include <gtest/gtest.h>

namespace eofzero::suite {
namespace {

using json = nlohmann::ordered_json;

FindingRow Row(const std::string& distance, std::uint64_t runs, const std::string& reduced) {
  FindingRow f;
  f.config = "ext4/4k";
  f.finding = "invariant 'no stale bytes'";
  f.ops = {"pwrite"};
  f.distance = distance;
  f.runs = runs;
  f.crash = "logflush";
  f.reduced_case = reduced;
  f.reduced_workload = "pwrite " + distance + ":4080 1:1";
  f.case_text = "name = \"" + reduced + "\"\n";
  f.confirmed = 3;
  f.confirm = 3;
  return f;
}

ExploreReport Shard(std::size_t index, std::size_t count, std::vector<FindingRow> findings) {
  ExploreReport r;
  r.tool_version = "0.1.0";
  r.kernel = "6.18.0";
  r.options = {{"depth", 1}, {"ops", {"pwrite"}}, {"seed", 0}, {"shard", nullptr}};
  if (count) r.options["shard"] = {{"index", index}, {"count", count}};
  ExploreConfigRow c;
  c.config = "ext4/4k";
  c.fs = "ext4";
  c.block_size = 4096;
  c.counts.runs = 10;
  c.counts.passed = 10 - findings.size();
  c.counts.failed = findings.size();
  r.configs = {c};
  r.totals = c.counts;
  r.findings = std::move(findings);
  return r;
}

TEST(ExploreReport, ItsJsonHasTheContractsKeysAndReadsBack) {
  ExploreReport r = Shard(2, 3, {Row("eof", 2, "xa")});
  r.problems = {"xfs/4k: mkfs failed"};
  r.reduce_seconds = 1.5;
  const json doc = ToJson(r);
  for (const char* key : {"command", "tool_version", "tool_commit", "kernel", "options", "configs",
                          "totals", "findings", "problems", "interrupted"})
    EXPECT_TRUE(doc.contains(key)) << key;
  EXPECT_EQ(doc["command"], "explore");
  EXPECT_EQ(doc["options"]["shard"]["index"], 2);
  for (const char* key : {"config", "fs", "block_size", "mkfs_options", "mount_options", "runs",
                          "passed", "failed", "skipped", "errors", "run_seconds", "error"})
    EXPECT_TRUE(doc["configs"][0].contains(key)) << key;
  for (const char* key : {"runs", "passed", "failed", "skipped", "errors", "run_seconds",
                          "reduce_seconds"})
    EXPECT_TRUE(doc["totals"].contains(key)) << key;
  for (const char* key : {"config", "finding", "after_crash", "ops", "distance", "runs", "crash",
                          "reduced_case", "reduced_workload", "case_text", "confirmed",
                          "confirm", "reduce_seconds", "covered_by"})
    EXPECT_TRUE(doc["findings"][0].contains(key)) << key;
  EXPECT_FALSE(doc["findings"][0].contains("kernel"));
  EXPECT_TRUE(IsExploreReport(doc));
  auto back = ExploreReportFromJson(json::parse(doc.dump()));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(ToJson(*back), doc);
  EXPECT_EQ(RenderExploreSummary(*back), RenderExploreSummary(r));
}

TEST(ExploreReport, AReportThatIsNotOneIsRefusedWithWhatIsWrong) {
  EXPECT_FALSE(IsExploreReport(json{{"command", "run"}}));
  EXPECT_FALSE(ExploreReportFromJson(json{{"command", "run"}}));
  json doc = ToJson(Shard(1, 1, {Row("eof", 1, "xa")}));
  doc["findings"][0]["runs"] = "many";
  auto bad = ExploreReportFromJson(doc);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().find("findings[0]: \"runs\""), std::string::npos) << bad.error();
  doc.erase("totals");
  EXPECT_FALSE(ExploreReportFromJson(doc));
}

TEST(ExploreReport, TheSummaryIsTheTableProblemsAndTotals) {
  ExploreReport r = Shard(0, 0, {Row("eof", 2, "xa")});
  r.problems = {"it broke"};
  const std::string text = RenderExploreSummary(r);
  EXPECT_NE(text.find("1 finding (one row per signature):"), std::string::npos) << text;
  EXPECT_NE(text.find("pwrite eof:4080 1:1"), std::string::npos) << text;
  EXPECT_NE(text.find("problem: it broke\n"), std::string::npos) << text;
  EXPECT_NE(text.find("10 runs: 9 passed, 1 failed, 0 skipped, 0 errors"), std::string::npos)
      << text;
  EXPECT_EQ(RenderFindings({}), "no findings\n");
  // Under `kernels`, a column says which kernel.
  r.findings[0].kernel = "debian-6.1";
  EXPECT_NE(RenderFindings(r.findings).find("kernel"), std::string::npos);
  EXPECT_NE(RenderExploreMarkdown(r).find("| debian-6.1 |"), std::string::npos);
}

TEST(ExploreReport, ShardsMergeFindingsBySignatureAndAddTheirCounts) {
  std::vector<std::pair<std::string, ExploreReport>> shards = {
      {"b.json", Shard(2, 2, {Row("eof", 3, "xb"), Row("far", 1, "xf")})},
      {"a.json", Shard(1, 2, {Row("eof", 2, "xa")})}};
  auto merged = MergeExploreReports(shards);
  ASSERT_TRUE(merged) << merged.error();
  ASSERT_EQ(merged->findings.size(), 2u);
  EXPECT_EQ(merged->findings[0].runs, 5u);
  EXPECT_EQ(merged->findings[0].reduced_case, "xb");  // the first row's
  EXPECT_EQ(merged->findings[1].runs, 1u);
  ASSERT_EQ(merged->configs.size(), 1u);
  EXPECT_EQ(merged->configs[0].counts.runs, 20u);
  EXPECT_EQ(merged->totals.runs, 20u);
  EXPECT_EQ(merged->totals.failed, 3u);
  EXPECT_TRUE(merged->options["shard"].is_null());
  EXPECT_EQ(ExploreReportExitStatus(*merged), 1);
}

TEST(ExploreReport, AMergeRefusesWhatIsNotEveryShardOfOneExplorationOnce) {
  auto refused = [](std::vector<std::pair<std::string, ExploreReport>> shards) {
    auto merged = MergeExploreReports(shards);
    return merged ? std::string() : merged.error();
  };
  EXPECT_NE(refused({{"a", Shard(1, 2, {})}, {"b", Shard(1, 2, {})}}).find("both shard 1/2"),
            std::string::npos);
  EXPECT_NE(refused({{"a", Shard(1, 3, {})}, {"b", Shard(2, 3, {})}}).find("shard 3/3 is missing"),
            std::string::npos);
  EXPECT_NE(refused({{"a", Shard(1, 2, {})}, {"b", Shard(2, 3, {})}}).find("not the slices"),
            std::string::npos);
  EXPECT_NE(refused({{"a", Shard(1, 1, {})}, {"b", Shard(0, 0, {})}}).find("b is no shard"),
            std::string::npos);
  ExploreReport deeper = Shard(2, 2, {});
  deeper.options["depth"] = 2;
  EXPECT_NE(refused({{"a", Shard(1, 2, {})}, {"b", deeper}}).find("different options"),
            std::string::npos);
  EXPECT_EQ(refused({{"a", Shard(1, 2, {})}, {"b", Shard(2, 2, {})}}), "");
}

TEST(ExploreReport, ItsExitStatusIsTheExplorations) {
  ExploreReport r = Shard(0, 0, {});
  EXPECT_EQ(ExploreReportExitStatus(r), 0);
  r.totals.errors = 1;
  EXPECT_EQ(ExploreReportExitStatus(r), 3);
  r.findings = {Row("eof", 1, "xa")};
  EXPECT_EQ(ExploreReportExitStatus(r), 1);
  r.signal = 15;
  EXPECT_EQ(ExploreReportExitStatus(r), 143);
  auto back = ExploreReportFromJson(ToJson(r));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->signal, 15);
}

}  // namespace
}  // namespace eofzero::suite
