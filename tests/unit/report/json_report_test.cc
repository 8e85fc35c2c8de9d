#include "report/json_report.h"

#include <gtest/gtest.h>

#include "report/sample_record.h"
#include "temp_dir.h"

namespace eofzero::report {
namespace {

using Json = nlohmann::ordered_json;

TEST(JsonReport, ParsesBackToTheSameRecords) {
  const RunRecord original = testing::SampleRecord();
  const std::string text = ToJson(original).dump(2);
  auto back = RunRecordFromJson(Json::parse(text));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->kernel, original.kernel);
  EXPECT_EQ(back->started, original.started);
  EXPECT_DOUBLE_EQ(back->seconds, original.seconds);
  ASSERT_EQ(back->configs.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& a = original.configs[i];
    const auto& b = back->configs[i];
    EXPECT_EQ(b.config.name, a.config.name);
    EXPECT_EQ(b.config.fs, a.config.fs);
    EXPECT_EQ(b.config.block_size, a.config.block_size);
    EXPECT_EQ(b.config.mkfs_command, a.config.mkfs_command);
    EXPECT_EQ(b.config.mount_options, a.config.mount_options);
    ASSERT_EQ(b.cases.size(), a.cases.size());
    for (std::size_t k = 0; k < a.cases.size(); ++k) {
      EXPECT_EQ(b.cases[k].case_name, a.cases[k].case_name);
      EXPECT_EQ(b.cases[k].outcome, a.cases[k].outcome);
      EXPECT_EQ(b.cases[k].summary, a.cases[k].summary);
      EXPECT_EQ(b.cases[k].reason, a.cases[k].reason);
      EXPECT_EQ(b.cases[k].evidence, a.cases[k].evidence);
      EXPECT_EQ(b.cases[k].expected_failure, a.cases[k].expected_failure);
      EXPECT_EQ(b.cases[k].detail, a.cases[k].detail) << "the detail passes through unchanged";
    }
  }
  // Written again, the text is the same: nothing was lost on the way.
  EXPECT_EQ(ToJson(*back).dump(2), text);
}

TEST(JsonReport, EachCaseCarriesItsStandingAndTheRunItsKernel) {
  const Json doc = ToJson(testing::SampleRecord());
  EXPECT_EQ(doc["tool"], "eofzero");
  EXPECT_EQ(doc["schema"], kJsonSchemaVersion);
  EXPECT_EQ(doc["kernel"], "6.18.0 x86_64");
  const Json& xfs = doc["configurations"][1];
  EXPECT_EQ(xfs["name"], "xfs-4k");
  EXPECT_EQ(xfs["mount_options"], "noatime");
  EXPECT_EQ(xfs["cases"][0]["verdict"], "FAIL");
  EXPECT_EQ(xfs["cases"][0]["standing"], "xfail");
  EXPECT_EQ(xfs["cases"][1]["standing"], "XPASS");
  EXPECT_EQ(doc["configurations"][0]["cases"][1]["standing"], "FAIL");
  EXPECT_EQ(doc["configurations"][0]["cases"][0]["oracles"][0]["nonzero"], 16);
}

// The eofzero that ran: "tool" stays the plain name old readers check; the
// version and the commit are keys of their own, read back when present.
TEST(JsonReport, NamesTheVersionAndCommitThatRanAndReadsThemBack) {
  RunRecord record = testing::SampleRecord();
  record.tool = {"1.2.3", "0123456789ab-dirty"};
  const Json doc = ToJson(record);
  EXPECT_EQ(doc["tool"], "eofzero");
  EXPECT_EQ(doc["tool_version"], "1.2.3");
  EXPECT_EQ(doc["tool_commit"], "0123456789ab-dirty");
  auto back = RunRecordFromJson(Json::parse(doc.dump()));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->tool, record.tool);
  // Not known: null, and read back as not known.
  record.tool = {"1.2.3", ""};
  EXPECT_EQ(ToJson(record)["tool_commit"], nullptr);
  auto no_commit = RunRecordFromJson(ToJson(record));
  ASSERT_TRUE(no_commit) << no_commit.error();
  EXPECT_EQ(no_commit->tool, record.tool);
  // A report from before they were recorded.
  auto old = RunRecordFromJson(Json::parse(R"({"tool": "eofzero", "schema": 1,
                                               "configurations": []})"));
  ASSERT_TRUE(old) << old.error();
  EXPECT_EQ(old->tool, ToolInfo{});
  EXPECT_FALSE(RunRecordFromJson(Json::parse(R"({"tool": "eofzero", "schema": 1,
                                                 "tool_version": 3, "configurations": []})")));
}

TEST(JsonReport, AnInterruptedRunSaysSoAndParsesBack) {
  const RunRecord original = testing::InterruptedRecord();
  const Json doc = ToJson(original);
  EXPECT_EQ(doc["interrupted"], Json({{"signal", 2}, {"name", "SIGINT"}})) << doc.dump(2);
  const Json& not_run = doc["configurations"][0]["cases"][1];
  EXPECT_EQ(not_run["verdict"], "ERROR");
  EXPECT_EQ(not_run["summary"], "not run: interrupted by signal 2 (SIGINT)");
  EXPECT_EQ(not_run["not_run"], true);
  EXPECT_EQ(doc["configurations"][0]["cases"][0]["not_run"], false);

  auto back = RunRecordFromJson(Json::parse(doc.dump(2)));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->interrupted_by, 2);
  EXPECT_EQ(NotRunCount(*back), 4u);
  EXPECT_FALSE(back->configs[0].cases[0].not_run);
  EXPECT_TRUE(back->configs[1].cases[1].not_run);
  EXPECT_EQ(ToJson(*back).dump(2), doc.dump(2));

  EXPECT_EQ(ToJson(testing::SampleRecord())["interrupted"], nullptr) << "a run that ended";
}

TEST(JsonReport, AReportWrittenBeforeInterruptionsWereMarkedReadsAsFinished) {
  auto old = RunRecordFromJson(Json::parse(R"({"tool": "eofzero", "schema": 1, "kernel": "6.1",
      "configurations": [{"fs": "ext4", "cases": [{"case": "x", "verdict": "PASS"}]}]})"));
  ASSERT_TRUE(old) << old.error();
  EXPECT_EQ(old->interrupted_by, 0);
  EXPECT_FALSE(old->configs[0].cases[0].not_run);
  auto null = RunRecordFromJson(Json::parse(R"({"tool": "eofzero", "schema": 1,
      "interrupted": null, "configurations": []})"));
  ASSERT_TRUE(null) << null.error();
  EXPECT_EQ(null->interrupted_by, 0);
  auto junk = RunRecordFromJson(Json::parse(R"({"tool": "eofzero", "schema": 1,
      "interrupted": "yes", "configurations": []})"));
  ASSERT_FALSE(junk);
  EXPECT_EQ(junk.error(), "report: \"interrupted\" is not an object");
  auto no_signal = RunRecordFromJson(Json::parse(R"({"tool": "eofzero", "schema": 1,
      "interrupted": {"name": "SIGINT"}, "configurations": []})"));
  ASSERT_FALSE(no_signal);
  EXPECT_EQ(no_signal.error(), "report.interrupted: no \"signal\"");
}

TEST(JsonReport, RefusesWhatIsNotAnEofzeroReport) {
  EXPECT_FALSE(RunRecordFromJson(Json::parse(R"({"tool": "fio"})")));
  EXPECT_FALSE(RunRecordFromJson(Json::parse("[1, 2]")));
  auto wrong_schema = RunRecordFromJson(Json::parse(R"({"tool": "eofzero", "schema": 99})"));
  ASSERT_FALSE(wrong_schema);
  EXPECT_NE(wrong_schema.error().find("schema 99"), std::string::npos) << wrong_schema.error();
  auto bad_verdict = RunRecordFromJson(Json::parse(R"({"tool": "eofzero", "schema": 1,
      "configurations": [{"fs": "ext4", "cases": [{"case": "x", "verdict": "MAYBE"}]}]})"));
  ASSERT_FALSE(bad_verdict);
  EXPECT_EQ(bad_verdict.error(), "configurations[0].cases[0] (x): unknown verdict \"MAYBE\"");
  auto no_case = RunRecordFromJson(Json::parse(R"({"tool": "eofzero", "schema": 1,
      "configurations": [{"fs": "ext4", "cases": [{"verdict": "PASS"}]}]})"));
  ASSERT_FALSE(no_case);
  EXPECT_EQ(no_case.error(), "configurations[0].cases[0]: no \"case\"");
  EXPECT_FALSE(RunRecordFromJson(Json::parse(R"({"tool": "eofzero", "schema": "1"})")));
  EXPECT_FALSE(RunRecordFromJson(Json::parse(R"({"tool": "eofzero", "schema": 1, "kernel": 5,
      "configurations": []})")))
      << "a field of the wrong type is an error, not an abort";
  EXPECT_FALSE(RunRecordFromJson(Json::parse(R"({"tool": "eofzero", "schema": 1,
      "configurations": [{"fs": "ext4", "block_size": "4k", "cases": []}]})")));
  auto junk_cases = RunRecordFromJson(Json::parse(R"({"tool": "eofzero", "schema": 1,
      "configurations": [{"fs": "ext4", "cases": "junk"}]})"));
  ASSERT_FALSE(junk_cases);
  EXPECT_EQ(junk_cases.error(), "configurations[0]: \"cases\" is not a list");
}

TEST(LoadJsonReport, ReadsAReportBackAndSaysWhyAFileIsNone) {
  using Kind = JsonReportError::Kind;
  eofzero::testing::TempDir dir;
  auto good = LoadJsonReport(dir.Write("good.json", ToJson(testing::SampleRecord()).dump(2)));
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_EQ(good->configs.size(), testing::SampleRecord().configs.size());
  auto missing = LoadJsonReport(dir.path() / "missing.json");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, Kind::kUnreadable);
  auto text = LoadJsonReport(dir.Write("text.json", "nope"));
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().kind, Kind::kNotJson);
  EXPECT_EQ(text.error().message, "not JSON");
  auto other = LoadJsonReport(dir.Write("other.json", R"({"x": 1})"));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().kind, Kind::kNotAReport);
  EXPECT_EQ(other.error().message, "not an eofzero JSON report");
}

}  // namespace
}  // namespace eofzero::report

namespace eofzero::report {
namespace {

// What `eofzero export` reads back: the case as it ran, its variables, what
// altered its run, and the crash model's sizes as numbers (new keys only).
TEST(JsonReport, EachCaseCarriesItsCaseTextVariablesAndLegalSizeRanges) {
  engine::CaseRun run;
  run.case_name = "append_write";
  run.case_text = "name = \"append_write\"\nsteps = '''\nplant\n'''\n";
  run.variables = {{"bs", 4096}, {"eof", 4080}, {"eob", 4096}};
  run.altered_by = {"--direct-read-before-crash"};
  oracles::Verdict verdict;
  verdict.model_judged = true;
  verdict.legal_sizes = "4080 or 8192";
  verdict.legal_size_ranges = {{4080, 4080}, {8192, 8192}};
  const Json d = CaseDetail(run, verdict);
  EXPECT_EQ(d["case_text"], run.case_text);
  EXPECT_EQ(d["variables"]["eof"], 4080);
  EXPECT_EQ(d["variables"]["bs"], 4096);
  EXPECT_EQ(d["altered_by"], Json::array({"--direct-read-before-crash"}));
  EXPECT_EQ(d["crash_model"]["legal_size_ranges"], Json::parse("[[4080, 4080], [8192, 8192]]"));
  EXPECT_EQ(d["crash_model"]["legal_sizes"], "4080 or 8192");
}

}  // namespace
}  // namespace eofzero::report
