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

}  // namespace
}  // namespace eofzero::itest
