// The JSON and JUnit reports of a real run: parsed back with the libraries
// they were written with, and checked against the human lines of the same
// run. Whatever this kernel's verdicts are, the three must agree.
#include <pugixml.hpp>

#include <csignal>

#include "harness.h"
#include "report/json_report.h"

namespace eofzero::itest {
namespace {

TEST(Reports, JsonAndJunitOfARealRunParseBackAndAgreeWithTheHumanLines) {
  REQUIRE_ROOT();
  Workdir wd;
  const auto json_path = wd.path() / "run.json";
  Ran ran = RunEofzero({"run", "--workdir", wd.str(), "--fs", "ext4,xfs", "--case", "truncate_up",
                        "--format", "json", "--output", json_path.string()});
  ASSERT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.out << ran.err;

  auto doc = nlohmann::ordered_json::parse(ReadFile(json_path), nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << ReadFile(json_path);
  auto record = report::RunRecordFromJson(doc);
  ASSERT_TRUE(record) << record.error();
  EXPECT_FALSE(record->kernel.empty());
  ASSERT_EQ(record->configs.size(), 2u);
  int failures = 0;
  for (const auto& c : record->configs) {
    SCOPED_TRACE(c.config.fs);
    EXPECT_NE(c.config.mkfs_command.find("mkfs." + c.config.fs), std::string::npos);
    ASSERT_EQ(c.cases.size(), 1u);
    const auto& r = c.cases[0];
    EXPECT_EQ(r.case_name, "truncate_up");
    ASSERT_TRUE(r.outcome == oracles::Outcome::kPass || r.outcome == oracles::Outcome::kFail)
        << r.summary;
    failures += r.outcome == oracles::Outcome::kFail;
    // The human line of the same case says the same verdict.
    const std::string line = std::string(oracles::OutcomeName(r.outcome));
    bool found = false;
    for (const auto& l : LinesStartingWith(ran.out, line))
      found |= l.find(" " + c.config.fs + "/4k ") != std::string::npos;
    EXPECT_TRUE(found) << ran.out;
    // Every oracle's view is in the detail: 2 before the crash, 5 after it.
    EXPECT_EQ(r.detail["oracles"].size(), 7u) << r.detail.dump(2);
    EXPECT_EQ(r.detail["fsck"].size(), 1u) << r.detail.dump(2);
    EXPECT_EQ(r.evidence.empty(), r.outcome != oracles::Outcome::kFail);
  }
  EXPECT_EQ(ran.exit_code, failures ? 1 : 0);

  Ran junit = RunEofzero({"report", json_path.string(), "--format", "junit"});
  ASSERT_EQ(junit.exit_code, 0) << junit.err;
  pugi::xml_document xml;
  ASSERT_TRUE(xml.load_string(junit.out.c_str())) << junit.out;
  auto suites = xml.child("testsuites");
  EXPECT_EQ(suites.attribute("tests").as_int(), 2);
  EXPECT_EQ(suites.attribute("failures").as_int(), failures);
  EXPECT_EQ(std::distance(suites.children("testsuite").begin(), suites.children("testsuite").end()),
            2);
  ExpectNothingLeft(wd);
}

// Interrupted while planting its first case, a run still writes its JSON
// report: marked interrupted, with every case it did not run as an ERROR, and
// `eofzero report` renders it as interrupted in every format.
TEST(Reports, AnInterruptedRunsReportSaysSoAndIsRenderedAsInterrupted) {
  REQUIRE_ROOT();
  Workdir wd;
  const auto json_path = wd.path() / "run.json";
  Ran ran = RunEofzeroAndInterrupt(
      {"run", "--workdir", wd.str(), "--fs", "ext4,xfs", "--case", "append_write,truncate_up",
       "--format", "json", "--output", json_path.string()},
      StepPoint("append_write", "plant"), SIGINT);
  ASSERT_TRUE(ran.marker_seen) << ran.err;
  EXPECT_EQ(ran.exit_code, 128 + SIGINT) << ran.err;
  ExpectNothingLeft(wd);

  auto doc = nlohmann::ordered_json::parse(ReadFile(json_path), nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << ReadFile(json_path);
  ASSERT_TRUE(doc.contains("interrupted") && doc["interrupted"].is_object()) << doc.dump(2);
  EXPECT_EQ(doc["interrupted"]["signal"], SIGINT);
  EXPECT_EQ(doc["interrupted"]["name"], "SIGINT");
  auto record = report::RunRecordFromJson(doc);
  ASSERT_TRUE(record) << record.error();
  ASSERT_EQ(record->configs.size(), 2u) << "the configuration it never reached is there too";
  int not_run = 0;
  for (const auto& c : record->configs) {
    ASSERT_EQ(c.cases.size(), 2u) << c.config.fs << ": every planned case is accounted for";
    for (const auto& r : c.cases) {
      EXPECT_EQ(r.outcome, oracles::Outcome::kError) << c.config.fs << " " << r.case_name;
      not_run += r.summary == "not run: interrupted by signal 2 (SIGINT)";
    }
  }
  EXPECT_EQ(not_run, 3) << "the first case was stopped midway, the other three never ran";

  Ran human = RunEofzero({"report", json_path.string()});
  EXPECT_EQ(human.exit_code, 0) << human.err;
  EXPECT_NE(human.out.find("interrupted by signal 2 (SIGINT); did not run:\n  ext4/4k: "),
            std::string::npos)
      << human.out;
  Ran markdown = RunEofzero({"report", json_path.string(), "--format", "markdown"});
  EXPECT_EQ(markdown.out.rfind("**Interrupted** by signal 2 (SIGINT)", 0), 0u) << markdown.out;
  Ran junit = RunEofzero({"report", json_path.string(), "--format", "junit"});
  pugi::xml_document xml;
  ASSERT_TRUE(xml.load_string(junit.out.c_str())) << junit.out;
  EXPECT_EQ(xml.child("testsuites").attribute("errors").as_int(), 4) << junit.out;
  for (auto suite : xml.child("testsuites").children("testsuite"))
    EXPECT_STREQ(suite.child("properties")
                     .find_child_by_attribute("property", "name", "interrupted")
                     .attribute("value")
                     .as_string(),
                 "signal 2 (SIGINT)")
        << junit.out;
}

// A kernels shard's report (`kernels --shard K/M`) whose one case has `outcome`.
report::RunRecord KernelsShard(std::size_t k, std::size_t m, const std::string& kernel,
                               oracles::Outcome outcome) {
  report::RunRecord r;
  r.kernel = "6.18.0";
  r.command = "kernels";
  r.shard = report::RunRecord::Shard{k, m, "kernels a,b --fs ext4 --case truncate_up"};
  report::ConfigRecord c;
  c.config = {"ext4", 4096, "", "", "", kernel + ":ext4/4k"};
  c.guest = report::GuestInfo{kernel, "", kernel, 1, 2};
  report::CaseRecord t;
  t.case_name = "truncate_up";
  t.outcome = outcome;
  t.summary = "as it went";
  c.cases.push_back(t);
  r.configs.push_back(c);
  return r;
}

// The hostile round: `report --merge` exited 0 on shards full of ERRORs (a
// CI merge step stayed green), took the same shard twice (two identical
// columns), a run's report with a kernels shard, and a set with a slice
// missing. It exits as the whole run would, and refuses the rest (exit 2).
TEST(Reports, AMergeExitsAsTheWholeRunAndTakesEverySliceOnce) {
  Workdir wd;
  auto save = [&](const std::string& name, const report::RunRecord& r) {
    const std::string path = (wd.path() / name).string();
    WriteFile(path, report::ToJson(r).dump(2));
    return path;
  };
  using oracles::Outcome;
  const auto e1 = save("e1.json", KernelsShard(1, 2, "a", Outcome::kError));
  const auto e2 = save("e2.json", KernelsShard(2, 2, "b", Outcome::kError));
  const auto f2 = save("f2.json", KernelsShard(2, 2, "b", Outcome::kFail));
  const auto p1 = save("p1.json", KernelsShard(1, 2, "a", Outcome::kPass));
  const auto p2 = save("p2.json", KernelsShard(2, 2, "b", Outcome::kPass));
  report::RunRecord run;
  run.configs.push_back({{"ext4", 4096, "mkfs.ext4", "", "/dev/loop0"}, "", {}});
  const auto r = save("run.json", run);

  Ran ran = RunEofzero({"report", "--merge", e1, e2});
  EXPECT_EQ(ran.exit_code, 3) << ran.err;
  EXPECT_NE(ran.out.find("a:ext4/4k"), std::string::npos) << ran.out;
  EXPECT_EQ(RunEofzero({"report", "--merge", p1, f2, "--format", "markdown"}).exit_code, 1);
  EXPECT_EQ(RunEofzero({"report", "--merge", p1, p2}).exit_code, 0);
  for (const auto& [files, why] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{e1, e1}, "are both shard 1/2: each slice once"},
           {{e1}, "shard 2/2 of 'kernels a,b --fs ext4 --case truncate_up' is missing"},
           {{r, e1}, "is a run report, " + e1 + " a kernels report: only reports of one kind"},
           {{r, r}, "configuration ext4 bs=4096 is in both"}}) {
    std::vector<std::string> args = {"report", "--merge"};
    args.insert(args.end(), files.begin(), files.end());
    ran = RunEofzero(args);
    EXPECT_EQ(ran.exit_code, 2) << why;
    EXPECT_TRUE(ran.err.starts_with("eofzero: --merge: ")) << ran.err;
    EXPECT_NE(ran.err.find(why), std::string::npos) << ran.err;
    EXPECT_EQ(CountOccurrences(ran.err, "\n"), 1) << ran.err;
    EXPECT_TRUE(ran.out.empty()) << ran.out;
  }
}

}  // namespace
}  // namespace eofzero::itest
