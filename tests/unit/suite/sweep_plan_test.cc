// The sweep's variants of a case: the durability point replaced, the
// primitive in place, the crash mode and point, the distances.
#include "suite/sweep_plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

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
  // The case's own offset ({eob}) is next-block's: no fourth distance.
  EXPECT_EQ(vs->size(), 11u * 3u * 3u);
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
  EXPECT_EQ(vs->size(), 6u * 3u)
      << "o_sync, o_dsync, rwf_sync, rwf_dsync and sync_range left out; no distance";
}

// generic/790's durability point is a sync_file_range of the new data only:
// the sweep's sync_range is that, at each distance the range that
// distance's write covers; the whole file is sync_range_file.
TEST(PlanSweep, SyncRangeSyncsTheRangeTheExtensionWroteAndSyncRangeFileTheWholeFile) {
  SweepOptions o;
  o.primitives = {"sync_range", "sync_range_file"};
  o.crashes = {"logflush"};
  auto vs = PlanSweep(Case(kAppend), o);
  ASSERT_TRUE(vs) << vs.error();
  ASSERT_EQ(vs->size(), 2u * 3u);
  const std::map<std::string, std::string> expected = {
      {"c.sync_range.logflush.next-block", "sync_range -b -w -a {eob} {bs}"},
      {"c.sync_range.logflush.next-folio", "sync_range -b -w -a {eob - eob % 65536 + 65536} {bs}"},
      {"c.sync_range.logflush.far", "sync_range -b -w -a {eob - eob % 2097152 + 4194304} {bs}"},
      {"c.sync_range_file.logflush.next-block", "sync_range -b -w -a 0 0"},
      {"c.sync_range_file.logflush.next-folio", "sync_range -b -w -a 0 0"},
      {"c.sync_range_file.logflush.far", "sync_range -b -w -a 0 0"}};
  for (const auto& [name, sync] : expected) {
    const auto* v = Find(*vs, name);
    ASSERT_NE(v, nullptr) << name;
    EXPECT_EQ(Texts(v->spec)[7], sync) << name;
    EXPECT_EQ(Texts(v->spec)[8], "shutdown -f") << name;
  }
}

// A write into another range than the next block (a block past it,
// leaving a hole) is synced where it went, and that offset is a distance
// of its own: the sweep runs the case as it is written.
TEST(PlanSweep, AnOffsetOfTheCasesOwnIsTheAsWrittenDistance) {
  SweepOptions o;
  o.primitives = {"sync_range"};
  o.crashes = {"logflush"};
  auto vs = PlanSweep(Case(R"(pwrite -S 0x5a 0 {eob}
fsync
truncate {eof}
fsync
plant
pwrite -S 0x42 {eob + bs} {bs}
sync_range -b -w -a {eob + bs} {bs}
shutdown -f
cycle_mount
check gap
)"),
                      o);
  ASSERT_TRUE(vs) << vs.error();
  ASSERT_EQ(vs->size(), 4u);
  const auto* own = Find(*vs, "c.sync_range.logflush.as-written");
  ASSERT_NE(own, nullptr);
  EXPECT_EQ(Texts(own->spec)[5], "pwrite -S 0x42 {eob + bs} {bs}");
  EXPECT_EQ(Texts(own->spec)[6], "sync_range -b -w -a {eob + bs} {bs}");
  const auto* next = Find(*vs, "c.sync_range.logflush.next-block");
  ASSERT_NE(next, nullptr);
  EXPECT_EQ(Texts(next->spec)[6], "sync_range -b -w -a {eob} {bs}");
  o.distances = {"as-written"};
  auto kappend = PlanSweep(Case(kAppend), o);
  ASSERT_TRUE(kappend);
  ASSERT_EQ(kappend->size(), 1u);
  EXPECT_EQ((*kappend)[0].distance, "next-block") << "{eob} is next-block's offset";
}

// The ranges of the other writing steps, each synced; an extension that
// writes no data has no range to sync: sync_range does not apply, while
// sync_range_file does.
TEST(PlanSweep, SyncRangeCoversEveryWritingStepAndNoneWithoutData) {
  SweepOptions o;
  o.primitives = {"sync_range"};
  o.crashes = {"logflush"};
  auto copy = PlanSweep(Case(R"(file src
pwrite 0 {bs}
file main
pwrite -S 0x5a 0 {eob}
fsync
truncate {eof}
fsync
plant
copy_range -s 0 -d {eob} -l {bs} src
mmap {eof_block} {bs}
mwrite -S 0x42 {eof_block} 8
munmap
shutdown -f
cycle_mount
check gap
)"),
                        o);
  ASSERT_TRUE(copy) << copy.error();
  ASSERT_EQ(copy->size(), 1u);
  EXPECT_EQ(Texts((*copy)[0].spec)[12], "sync_range -b -w -a {eob} {bs}");
  EXPECT_EQ(Texts((*copy)[0].spec)[13], "sync_range -b -w -a {eof_block} 8");
  auto truncate = PlanSweep(Case(test::kTruncateUpSteps), o);
  ASSERT_TRUE(truncate);
  EXPECT_TRUE(truncate->empty());
  o.primitives = {"sync_range_file"};
  truncate = PlanSweep(Case(test::kTruncateUpSteps), o);
  ASSERT_TRUE(truncate);
  EXPECT_EQ(truncate->size(), 1u);
}

// O_APPEND writes where the size is: at {eof} when nothing changed it
// before; after another change, where is not known in advance.
TEST(PlanSweep, AnAppendingWriteIsSyncedAtTheOldEofOnlyWhenItComesFirst) {
  SweepOptions o;
  o.primitives = {"sync_range"};
  o.crashes = {"logflush"};
  const std::string head = "pwrite -S 0x5a 0 {eob}\nfsync\ntruncate {eof}\nfsync\nplant\n";
  const std::string tail = "shutdown -f\ncycle_mount\ncheck gap\n";
  auto first = PlanSweep(Case(head + "pwrite -P 0 8\ntruncate {eob + bs}\n" + tail), o);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->size(), 1u);
  EXPECT_EQ(Texts((*first)[0].spec)[7], "sync_range -b -w -a {eof} 8");
  auto later = PlanSweep(Case(head + "truncate {eob}\nopen -a main\npwrite 0 8\n" + tail), o);
  ASSERT_TRUE(later);
  EXPECT_TRUE(later->empty());
}

// msync before the truncate is what the case is about (the page written
// back, then the extension), not its durability point: it stays.
TEST(PlanSweep, AFlushThatALaterStepOfTheExtensionFollowsStays) {
  SweepOptions o;
  o.primitives = {"fsync"};
  o.crashes = {"logflush"};
  auto vs = PlanSweep(Case(R"(pwrite -S 0x5a 0 {eob}
fsync
truncate {eof}
fsync
plant
mmap {eof_block} {bs}
mwrite -S 0x42 {eof_block} 8
msync -s
munmap
truncate {eob + bs}
check gap
shutdown -f
cycle_mount
check gap
)"),
                      o);
  ASSERT_TRUE(vs);
  ASSERT_EQ(vs->size(), 1u);
  EXPECT_EQ(Texts((*vs)[0].spec),
            (std::vector<std::string>{"pwrite -S 0x5a 0 {eob}", "fsync", "truncate {eof}", "fsync",
                                      "plant", "mmap {eof_block} {bs}",
                                      "mwrite -S 0x42 {eof_block} 8", "msync -s", "munmap",
                                      "truncate {eob + bs}", "check gap", "fsync", "shutdown -f",
                                      "cycle_mount", "check gap"}));
}

// The case's own steps after the crash (an `expect size`, a read of a range
// the extension may have lost) stay only in the tuple that is the case as
// written; the others keep the remount and the checks.
TEST(PlanSweep, TheStepsAfterTheCrashAreTheCasesOnlyAsWritten) {
  SweepOptions o;
  o.primitives = {"sync_range", "fsync"};
  o.crashes = {"logflush"};
  o.distances = {"next-block"};
  auto vs = PlanSweep(Case(kAppend + "pread 0 {bs}\n"), o);
  ASSERT_TRUE(vs);
  ASSERT_EQ(vs->size(), 2u);
  const auto* own = Find(*vs, "c.sync_range.logflush.next-block");
  ASSERT_NE(own, nullptr);
  EXPECT_EQ(Texts(own->spec),
            (std::vector<std::string>{"pwrite -S 0x5a 0 {eob}", "fsync", "truncate {eof}", "fsync",
                                      "plant", "pwrite -S 0x42 {eob} {bs} [at {eob}]", "check gap",
                                      "sync_range -b -w -a {eob} {bs}", "shutdown -f",
                                      "cycle_mount", "expect size {eob + bs}", "check gap",
                                      "pread 0 {bs}"}));
  const auto* other = Find(*vs, "c.fsync.logflush.next-block");
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(Texts(other->spec).size(), 11u);
  EXPECT_EQ(Texts(other->spec)[9], "cycle_mount");
  EXPECT_EQ(Texts(other->spec)[10], "check gap");
  o.primitives = {"sync_range"};
  o.all_points = true;
  auto points = PlanSweep(Case(kAppend), o);
  ASSERT_TRUE(points);
  ASSERT_EQ(points->size(), 2u);
  EXPECT_EQ(Texts((*points)[0].spec).size(), 9u) << "crash after the pwrite: no expect size";
  EXPECT_EQ(Texts((*points)[1].spec).size(), 12u) << "the case as written";
}

// A crash before the race step leaves `check races` nothing to read (it
// would be an error): it stays only after a race step ran.
TEST(PlanSweep, CheckRacesAfterTheCrashOnlyWhenARaceStepRanBeforeIt) {
  SweepOptions o;
  o.primitives = {"fsync"};
  o.crashes = {"logflush"};
  o.all_points = true;
  auto vs = PlanSweep(Case(R"(pwrite -S 0x5a 0 {eob}
fsync
truncate {eof}
fsync
plant
truncate {eob + 100 * bs}
race_dio -n 50 {eob}
fsync
shutdown -f
cycle_mount
check gap
check races
)"),
                      o);
  ASSERT_TRUE(vs) << vs.error();
  ASSERT_EQ(vs->size(), 3u);
  EXPECT_EQ(Texts((*vs)[0].spec).back(), "check gap") << "crash after the truncate";
  EXPECT_EQ(Texts((*vs)[1].spec).back(), "check races") << "crash after race_dio";
  EXPECT_EQ(Texts((*vs)[2].spec).back(), "check races");
}

TEST(PlanSweep, AllPointsCrashAfterEveryActionFromTheExtensionOn) {
  SweepOptions o;
  o.primitives = {"fsync"};
  o.crashes = {"logflush"};
  o.distances = {"next-block"};
  o.all_points = true;
  auto vs = PlanSweep(Case(kAppend), o);
  ASSERT_TRUE(vs);
  // After the pwrite (line 9), and after the whole extension: the fsync
  // the sweep adds in place of the case's sync_range, on its line (11).
  ASSERT_EQ(vs->size(), 2u);
  EXPECT_EQ((*vs)[0].point, 9);
  EXPECT_EQ((*vs)[0].spec.steps.size(), 9u);
  EXPECT_EQ((*vs)[1].point, 11);
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
