#include "suite/explore_plan.h"

#include <gtest/gtest.h>

#include <set>

namespace eofzero::suite {
namespace {

using explore::Concrete;
using explore::CrashMode;

ExploreOptions Small() {
  ExploreOptions o;
  o.bounds.ops = {explore::Op::kPwrite, explore::Op::kTruncate};
  o.bounds.offsets = {explore::Offset::kEof, explore::Offset::kNextBlock};
  o.bounds.lengths = {explore::Length::k1};
  o.bounds.persists = {explore::Persist::kNone, explore::Persist::kFsync};
  return o;
}

std::set<std::string> Names(const std::vector<explore::Run>& runs, const explore::Geometry& g) {
  std::set<std::string> out;
  for (const auto& r : runs) out.insert(explore::RunName(r, g));
  return out;
}

TEST(ExplorePlan, GeometryAndBoundsFollowTheFilesystem) {
  const auto xfs = GeometryFor(fsdriver::FsType::kXfs, 1024, 16);
  EXPECT_EQ(xfs.block_size, 1024u);
  EXPECT_EQ(xfs.old_eof, 1008u);
  EXPECT_TRUE(xfs.reflink);
  const auto ext4 = GeometryFor(fsdriver::FsType::kExt4, 4096, 100);
  EXPECT_EQ(ext4.old_eof, 3996u);
  EXPECT_FALSE(ext4.reflink);
  const auto all = explore::DefaultBounds();
  EXPECT_EQ(BoundsFor(all, xfs).ops.size(), all.ops.size());
  EXPECT_EQ(BoundsFor(all, ext4).ops.size(), all.ops.size() - 1);
}

// Depth D runs every workload of 1 to D operations in every crash mode,
// each once: every crash point of every workload of depth D.
TEST(ExplorePlan, ExhaustiveRunsEveryWorkloadUpToTheDepthInEveryMode) {
  ExploreOptions o = Small();
  o.depth = 2;
  const auto g = GeometryFor(fsdriver::FsType::kExt4, 4096, 16);
  explore::Space space(o.bounds, g);
  const auto runs = PlanRuns(o, space);
  EXPECT_EQ(runs.size(), (space.Count(1) + space.Count(2)) * 3);
  EXPECT_EQ(Names(runs, g).size(), runs.size());
  // Every prefix of a workload of depth 2 is a run of its own.
  for (const auto& r : runs)
    if (r.workload.size() == 2) {
      explore::Run prefix{{r.workload.front()}, r.crash};
      EXPECT_TRUE(Names(runs, g).contains(explore::RunName(prefix, g)));
      break;
    }
  o.crashes = {CrashMode::kFreeze};
  EXPECT_EQ(PlanRuns(o, space).size(), space.Count(1) + space.Count(2));
}

TEST(ExplorePlan, ASampleRunsEachDrawnWorkloadAtEveryCrashPoint) {
  ExploreOptions o = Small();
  o.depth = 3;
  o.sample = 4;
  o.seed = 7;
  o.crashes = {CrashMode::kLogflush};
  const auto g = GeometryFor(fsdriver::FsType::kXfs, 4096, 16);
  explore::Space space(o.bounds, g);
  const auto runs = PlanRuns(o, space);
  EXPECT_LE(runs.size(), 4u * 3);
  EXPECT_GE(runs.size(), 4u);  // the four of depth 3 at least
  EXPECT_EQ(Names(runs, g).size(), runs.size());
  std::size_t full = 0;
  for (const auto& r : runs) full += r.workload.size() == 3;
  EXPECT_EQ(full, 4u);
  EXPECT_EQ(Names(PlanRuns(o, space), g), Names(runs, g)) << "the same seed, the same runs";
  o.seed = 8;
  EXPECT_NE(Names(PlanRuns(o, space), g), Names(runs, g));
}

TEST(ExplorePlan, TheShardsOfAPlanAreEachOfItsRunsOnceInItsOrder) {
  const auto g = GeometryFor(fsdriver::FsType::kExt4, 4096, 16);
  for (bool sampled : {false, true}) {
    ExploreOptions o = Small();
    o.depth = 2;
    if (sampled) {
      o.sample = 7;
      o.seed = 11;
    }
    explore::Space space(o.bounds, g);
    const auto whole = PlanRuns(o, space);
    ASSERT_GE(whole.size(), 10u);
    std::vector<std::string> joined(whole.size());
    for (std::size_t k = 1; k <= 3; ++k) {
      o.shard = guest::Shard{k, 3};
      explore::Space again(o.bounds, g);
      const auto slice = PlanRuns(o, again);
      for (std::size_t j = 0; j < slice.size(); ++j) {
        const std::size_t i = (k - 1) + 3 * j;  // run i is shard (i mod M) + 1's
        ASSERT_LT(i, whole.size());
        EXPECT_EQ(explore::RunName(slice[j], g), explore::RunName(whole[i], g));
        joined[i] = explore::RunName(slice[j], g);
      }
    }
    for (std::size_t i = 0; i < whole.size(); ++i)
      EXPECT_EQ(joined[i], explore::RunName(whole[i], g)) << i;
  }
}

TEST(ExplorePlan, TheWorkersSlicesOfAShardAreItsRunsOnceInItsOrder) {
  const auto g = GeometryFor(fsdriver::FsType::kExt4, 4096, 16);
  ExploreOptions o = Small();
  o.depth = 2;
  o.shard = guest::Shard{2, 3};
  explore::Space space(o.bounds, g);
  const auto whole = PlanRuns(o, space);
  ASSERT_GE(whole.size(), 5u);
  for (std::size_t n : {1u, 2u, 3u, 64u}) {
    std::vector<std::string> joined;
    for (std::size_t k = 1; k <= n; ++k) {
      o.worker = SweepSlice{k, n};
      explore::Space again(o.bounds, g);
      for (const auto& r : PlanRuns(o, again)) {
        EXPECT_EQ(WorkerOfRun(whole.size(), n, joined.size()), k) << joined.size() << " " << n;
        joined.push_back(explore::RunName(r, g));
      }
    }
    ASSERT_EQ(joined.size(), whole.size()) << n;
    for (std::size_t i = 0; i < whole.size(); ++i)
      EXPECT_EQ(joined[i], explore::RunName(whole[i], g)) << i;
  }
}

TEST(ExplorePlan, ARunIsACaseTheParserReads) {
  const auto g = GeometryFor(fsdriver::FsType::kExt4, 4096, 16);
  ExploreOptions o = Small();
  explore::Space space(o.bounds, g);
  const auto runs = PlanRuns(o, space);
  ASSERT_FALSE(runs.empty());
  auto planned = CaseOf(runs.front(), g);
  ASSERT_TRUE(planned) << planned.error();
  EXPECT_EQ(planned->spec.name, explore::RunName(runs.front(), g));
  EXPECT_EQ(planned->spec.block_size, 4096u);
  auto confirm = CaseOf(runs.front(), g, ".c2");
  ASSERT_TRUE(confirm);
  EXPECT_EQ(confirm->spec.name, planned->spec.name + ".c2");
  EXPECT_EQ(confirm->spec.steps.size(), planned->spec.steps.size());
}

oracles::Verdict Failing(engine::Phase phase) {
  oracles::Verdict v;
  v.outcome = oracles::Outcome::kFail;
  v.wrong_size = oracles::SizeFinding{phase, 12, 8192, 4080};
  v.kinds = {oracles::FindingKind::kSize};  // as Judge says it
  return v;
}

// Failing runs are counted by their last operation's signature; passes are
// not counted; the first run of a group is the one the reducer starts from.
TEST(ExplorePlan, FailingRunsAreGroupedByTheirLastOperation) {
  const auto g = GeometryFor(fsdriver::FsType::kExt4, 4096, 16);
  ExploreOptions o = Small();
  o.depth = 2;
  explore::Space space(o.bounds, g);
  std::vector<explore::Run> ending_in_truncate;
  for (const auto& r : PlanRuns(o, space))
    if (r.workload.back().action.op == explore::Op::kTruncate &&
        r.workload.back().action.offset == explore::Offset::kNextBlock &&
        r.workload.back().action.persist == explore::Persist::kNone && r.crash == CrashMode::kFreeze)
      ending_in_truncate.push_back(r);
  ASSERT_GE(ending_in_truncate.size(), 2u);
  FindingGroups groups;
  oracles::Verdict pass;
  pass.outcome = oracles::Outcome::kPass;
  groups.Add("ext4/4k", ending_in_truncate[0], pass);
  EXPECT_TRUE(groups.groups().empty());
  for (const auto& r : ending_in_truncate) groups.Add("ext4/4k", r, Failing(engine::Phase::kAfterCrash));
  groups.Add("ext4/4k", ending_in_truncate[0], Failing(engine::Phase::kBeforeCrash));
  ASSERT_EQ(groups.groups().size(), 2u);
  for (const auto& [sig, group] : groups.groups()) {
    EXPECT_EQ(sig.ops, std::vector<std::string>{"truncate"});
    EXPECT_EQ(sig.distance, "next-block");
    EXPECT_EQ(explore::Describe(group.first.workload),
              explore::Describe(ending_in_truncate[0].workload));
    EXPECT_EQ(group.runs, sig.finding.after_crash ? ending_in_truncate.size() : 1u);
  }
}

TEST(ExplorePlan, FindingsOfOneSignatureAreOneRow) {
  explore::Signature s{"xfs/4k", {"gap", true}, {"pwrite"}, "eof"};
  Finding a{s, 3, {}, "xa", 3, 3, 1.0, {}};
  Finding b{s, 4, {}, "xb", 2, 3, 1.0, {}};
  Finding c{s, 1, {}, "xc", 3, 3, 1.0, {}};
  c.signature.distance = "far";
  const auto merged = MergeBySignature({a, b, c});
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].runs, 7u);
  EXPECT_EQ(merged[0].reduced_name, "xa");
  EXPECT_EQ(merged[1].runs, 1u);
}

TEST(ExplorePlan, ACatalogCaseOfTheSameShapeAndCrashCoversAFinding) {
  using explore::CrashMode;
  explore::Signature s{"xfs/4k", {"gap", true}, {"pwrite", "fsync"}, "next-block"};
  s.ops = {"pwrite"};
  const std::vector<CatalogShape> catalog = {
      {"append_write", {"pwrite"}, "next-block", "logflush"},
      {"append_far", {"pwrite"}, "far", "logflush"},
      {"two", {"truncate", "pwrite"}, "next-block", "logflush"}};
  EXPECT_EQ(CoveredBy(s, CrashMode::kLogflush, catalog), std::vector<std::string>{"append_write"});
  // append_write crashes with its log flushed: it does not show a finding
  // of a crash that loses the log.
  EXPECT_TRUE(CoveredBy(s, CrashMode::kNologflush, catalog).empty());
  s.distance = "eof";
  EXPECT_TRUE(CoveredBy(s, CrashMode::kLogflush, catalog).empty());
}

TEST(ExplorePlan, TheFindingsTable) {
  EXPECT_EQ(RenderFindings({}), "no findings\n");
  explore::Signature s{"xfs/4k", {"invariant 'no stale bytes'", true}, {"pwrite"}, "eof"};
  const auto g = GeometryFor(fsdriver::FsType::kXfs, 4096, 16);
  auto c = explore::Concretize({explore::Op::kPwrite, explore::Offset::kEof, explore::Length::k1,
                                explore::Persist::kNone},
                               g.old_eof, g);
  ASSERT_TRUE(c);
  Finding f{s, 5, {{*c}, CrashMode::kLogflush}, "x1", 2, 3, 1.0, {}};
  Finding covered = f;
  covered.covered_by = {"a", "b", "c"};
  const std::string table = RenderFindings({RowOf(f), RowOf(covered)});
  EXPECT_NE(table.find("2 findings"), std::string::npos) << table;
  EXPECT_NE(table.find("invariant 'no stale bytes' after the crash"), std::string::npos) << table;
  EXPECT_NE(table.find("2/3"), std::string::npos) << table;
  EXPECT_NE(table.find("logflush"), std::string::npos) << table;
  EXPECT_NE(table.find(" new "), std::string::npos) << table;
  EXPECT_NE(table.find("a, b +1"), std::string::npos) << table;
  EXPECT_NE(table.find(explore::Describe({*c})), std::string::npos) << table;
}

}  // namespace
}  // namespace eofzero::suite
