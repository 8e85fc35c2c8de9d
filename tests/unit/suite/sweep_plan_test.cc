// The sweep's variants of a case: the durability point replaced, the
// primitive in place, the crash mode and point, the distances.
#include "suite/sweep_plan.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "case_text.h"
#include "report/human_reporter.h"
#include "report/json_report.h"
#include "report/sweep_table.h"

namespace eofzero::suite {
namespace {

engine::CaseSpec Case(const std::string& steps) { return test::CaseFromSteps("c", steps); }
const std::string& kAppend = test::kAppendWriteSteps;

std::vector<std::string> Texts(const engine::CaseSpec& spec) {
  std::vector<std::string> out;
  for (const auto& s : spec.steps) out.push_back(s.text);
  return out;
}

const Variant* Find(const std::vector<Variant>& vs, const std::string& name) {
  auto it = std::find_if(vs.begin(), vs.end(), [&](const Variant& v) { return v.spec.name == name; });
  return it == vs.end() ? nullptr : &*it;
}

TEST(PlanSweep, EveryPrimitiveCrashAndDistanceOfAOnePwriteExtension) {
  auto vs = PlanSweep(Case(kAppend), SweepOptions{});
  ASSERT_TRUE(vs) << vs.error();
  EXPECT_EQ(vs->size(), 10u * 3u * 3u);
}

TEST(PlanSweep, TheCasesFlushIsReplacedByThePrimitiveAndExpectSizeLeftOut) {
  SweepOptions o;
  o.primitives = {"fdatasync"};
  o.crashes = {"nologflush"};
  o.distances = {"next-block"};
  auto vs = PlanSweep(Case(kAppend), o);
  ASSERT_TRUE(vs);
  ASSERT_EQ(vs->size(), 1u);
  EXPECT_EQ(Texts((*vs)[0].spec),
            (std::vector<std::string>{"pwrite -S 0x5a 0 {eob}", "fsync", "truncate {eof}",
                                      "fsync", "plant", "pwrite -S 0x42 {eob} {bs} [at {eob}]",
                                      "check gap", "fdatasync", "shutdown", "cycle_mount",
                                      "check gap"}));
  EXPECT_EQ((*vs)[0].spec.name, "c.fdatasync.nologflush.next-block");
}

TEST(PlanSweep, WriteFlagsAndOpenModesGoOnTheExtendingPwrite) {
  SweepOptions o;
  o.primitives = {"rwf_dsync", "o_sync"};
  o.crashes = {"freeze"};
  o.distances = {"far"};
  auto vs = PlanSweep(Case(kAppend), o);
  ASSERT_TRUE(vs);
  ASSERT_EQ(vs->size(), 2u);
  const auto* rwf = Find(*vs, "c.rwf_dsync.freeze.far");
  ASSERT_NE(rwf, nullptr);
  EXPECT_TRUE(rwf->spec.steps[5].Has('D'));
  EXPECT_EQ(rwf->spec.steps[7].text, "shutdown -s");
  const auto* osync = Find(*vs, "c.o_sync.freeze.far");
  ASSERT_NE(osync, nullptr);
  EXPECT_EQ(osync->spec.steps[5].text, "open -s main");
  EXPECT_EQ(osync->spec.steps[7].text, "open main");
}

// The case's own open mode (O_DIRECT here, set after the plant) stays on
// the extending pwrite: o_sync adds O_SYNC to it, never replaces it.
TEST(PlanSweep, AnOpenModeOfTheCaseIsKeptUnderOSync) {
  SweepOptions o;
  o.primitives = {"o_dsync"};
  o.crashes = {"logflush"};
  o.distances = {"next-block"};
  auto vs = PlanSweep(Case(R"(pwrite -S 0x5a 0 {eob}
fsync
truncate {eof}
fsync
plant
open -d main
pwrite -S 0x42 {eob} {bs}
open main
shutdown -f
cycle_mount
check gap
)"),
                      o);
  ASSERT_TRUE(vs);
  ASSERT_EQ(vs->size(), 1u);
  const auto& steps = (*vs)[0].spec.steps;
  EXPECT_EQ(steps[5].text, "open -d main");
  EXPECT_EQ(steps[6].text, "open -d -y main");
  EXPECT_EQ(steps[8].text, "open -d main");
}

TEST(PlanSweep, APrimitiveOfWritesDoesNotApplyToATruncate) {
  auto vs = PlanSweep(Case(R"(pwrite -S 0x5a 0 {eob}
fsync
truncate {eof}
fsync
plant
truncate {eob + bs}
shutdown -f
cycle_mount
check gap
)"),
                      SweepOptions{});
  ASSERT_TRUE(vs);
  EXPECT_EQ(vs->size(), 6u * 3u) << "o_sync, o_dsync, rwf_sync, rwf_dsync left out; no distance";
}

TEST(PlanSweep, AllPointsCrashAfterEveryActionFromTheExtensionOn) {
  SweepOptions o;
  o.primitives = {"fsync"};
  o.crashes = {"logflush"};
  o.distances = {"next-block"};
  o.all_points = true;
  auto vs = PlanSweep(Case(kAppend), o);
  ASSERT_TRUE(vs);
  // After the pwrite (line 9), and after the whole extension: check gap and
  // the fsync the sweep adds, both on line 10.
  ASSERT_EQ(vs->size(), 2u);
  EXPECT_EQ((*vs)[0].point, 9);
  EXPECT_EQ((*vs)[0].spec.steps.size(), 9u);
  EXPECT_EQ((*vs)[1].point, 10);
  EXPECT_EQ((*vs)[1].spec.steps.size(), 11u);
}

// What a breaking tuple's rerun command asks for is that tuple again.
TEST(PlanSweep, APointByItsLineIsTheSameTupleAsTheSweepRan) {
  for (const char* primitive : {"fsync", "rwf_dsync", "o_sync", "none"})
    for (bool all : {false, true}) {
      SweepOptions o;
      o.primitives = {primitive};
      o.crashes = {"logflush"};
      o.distances = {"next-block"};
      o.all_points = all;
      auto swept = PlanSweep(Case(kAppend), o);
      ASSERT_TRUE(swept);
      for (const auto& v : *swept) {
        SweepOptions again = o;
        again.all_points = false;
        again.only_point = v.point;
        auto rerun = PlanSweep(Case(kAppend), again);
        ASSERT_TRUE(rerun);
        ASSERT_EQ(rerun->size(), 1u) << v.spec.name;
        std::vector<std::string> a, b;
        for (const auto& s : v.spec.steps) a.push_back(s.text);
        for (const auto& s : (*rerun)[0].spec.steps) b.push_back(s.text);
        EXPECT_EQ(a, b) << v.spec.name;
      }
    }
}

TEST(PlanSweep, ACaseWithoutAnExtensionIsLeftOutWithItsReason) {
  auto c = Case(R"(plant
fsync
shutdown
cycle_mount
check gap
)");
  auto vs = PlanSweep(c, SweepOptions{});
  ASSERT_FALSE(vs);
  EXPECT_EQ(vs.error(), "no extension between plant and shutdown");
  auto plan = PlanSweep(std::vector<const engine::CaseSpec*>{&c}, SweepOptions{});
  ASSERT_EQ(plan.left_out.size(), 1u);
}

TEST(PlanSweep, TheSameSeedGivesTheSameOrder) {
  auto c = Case(kAppend);
  SweepOptions o;
  o.seed = 7;
  auto a = PlanSweep(std::vector<const engine::CaseSpec*>{&c}, o);
  auto b = PlanSweep(std::vector<const engine::CaseSpec*>{&c}, o);
  ASSERT_EQ(a.variants.size(), b.variants.size());
  for (std::size_t i = 0; i < a.variants.size(); ++i)
    EXPECT_EQ(a.variants[i].spec.name, b.variants[i].spec.name);
  o.seed = 0;
  auto in_order = PlanSweep(std::vector<const engine::CaseSpec*>{&c}, o);
  EXPECT_NE(in_order.variants[0].spec.name, a.variants[0].spec.name);
}

TEST(SweepTable, ACellPerPrimitiveAndCrashAndAFailingTupleWithItsCommand) {
  std::vector<report::SweepCell> cells = {
      {"xfs/4k", "append_write", "fsync", "freeze", oracles::Outcome::kPass, '.', "", "", 1, 1},
      {"xfs/4k", "append_write", "none", "nologflush", oracles::Outcome::kFail, 'S',
       "crash after line 6: stale", "eofzero sweep --case append_write", 0, 1}};
  const std::string t = report::RenderSweepTable(cells, {"none", "fsync"}, {"freeze", "nologflush"});
  EXPECT_NE(t.find("append_write -S   .-"), std::string::npos) << t;
  EXPECT_NE(t.find("1 breaking tuple:"), std::string::npos) << t;
  EXPECT_NE(t.find("eofzero sweep --case append_write"), std::string::npos) << t;
}

// The hostile round: with --format json --output, the sweep's tables and
// rerun commands were gone from stdout, and the JSON had no sweep fields to
// rebuild them from. Each case's tuple is in the JSON now, and the tables
// come back from it as the sweep printed them.
TEST(SweepTable, EachCaseKeepsItsTupleInTheJsonAndTheTablesComeBackFromIt) {
  using report::CaseRecord;
  auto tuple = [](const char* primitive, const char* crash, char code, int iteration) {
    return CaseRecord::SweepTuple{"append_write", primitive, crash, 6, "next-block", iteration,
                                  code, std::string("eofzero sweep --case append_write --sync ") +
                                            primitive + " --crash " + crash};
  };
  auto record_of = [](const char* name, oracles::Outcome outcome, CaseRecord::SweepTuple t) {
    CaseRecord r;
    r.case_name = name;
    r.outcome = outcome;
    r.summary = outcome == oracles::Outcome::kFail ? "stale bytes" : "fine";
    r.sweep = std::move(t);
    return r;
  };
  report::RunRecord run;
  run.command = "sweep";
  run.sweep = report::RunRecord::SweepAxes{{"none", "fsync"}, {"freeze", "nologflush"}};
  run.configs.push_back({{"xfs", 4096, "mkfs.xfs", "", "/dev/loop9"}, "", {}});
  auto& cases = run.configs[0].cases;
  cases.push_back(record_of("a.fsync.freeze.p6.i1", oracles::Outcome::kPass,
                            tuple("fsync", "freeze", '.', 1)));
  cases.push_back(record_of("a.fsync.freeze.p6.i2", oracles::Outcome::kPass,
                            tuple("fsync", "freeze", '.', 2)));
  cases.push_back(record_of("a.none.nologflush.p6.i1", oracles::Outcome::kPass,
                            tuple("none", "nologflush", '.', 1)));
  cases.push_back(record_of("a.none.nologflush.p6.i2", oracles::Outcome::kFail,
                            tuple("none", "nologflush", 'S', 2)));
  auto read = report::RunRecordFromJson(report::ToJson(run));
  ASSERT_TRUE(read) << read.error();
  EXPECT_EQ(read->command, "sweep");
  EXPECT_EQ(read->sweep, run.sweep);
  ASSERT_EQ(read->configs.size(), 1u);
  for (std::size_t i = 0; i < cases.size(); ++i) EXPECT_EQ(read->configs[0].cases[i].sweep, cases[i].sweep);
  const auto json = report::ToJson(run)["configurations"][0]["cases"][3]["sweep"];
  EXPECT_EQ(json.dump(), R"({"case":"append_write","primitive":"none","crash":"nologflush",)"
                         R"("point":6,"distance":"next-block","iteration":2,"code":"S",)"
                         R"("rerun":"eofzero sweep --case append_write --sync none --crash nologflush"})");

  const auto cells = report::SweepCells(*read);
  ASSERT_EQ(cells.size(), 2u);
  EXPECT_EQ(cells[1].code, 'S') << "a failure over the iterations is the cell";
  EXPECT_EQ(cells[1].runs, 2);
  EXPECT_EQ(cells[1].passes, 1);
  EXPECT_EQ(cells[1].what, "crash after line 6: stale bytes");
  const std::string table = report::RenderSweepTable(cells, {"none", "fsync"}, {"freeze", "nologflush"});
  EXPECT_NE(table.find("append_write next-block -S   .-"), std::string::npos) << table;
  EXPECT_NE(table.find("xfs/4k append_write next-block none nologflush (1 of 2): crash after "
                       "line 6: stale bytes\n    eofzero sweep --case append_write --sync none "
                       "--crash nologflush\n"),
            std::string::npos)
      << table;
  const std::string human = report::RenderHumanReport(*read);
  EXPECT_TRUE(human.ends_with(table)) << human;
}

}  // namespace
}  // namespace eofzero::suite
