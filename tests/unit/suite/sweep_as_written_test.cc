// The sweep runs every shipped case as it is written: each case's own
// durability point (the flushes between its plant and its first shutdown)
// is one of the sweep's primitives, and the variant of its own primitive,
// crash mode and distance is exactly its steps.
#include <gtest/gtest.h>

#include <filesystem>

#include "case_text.h"
#include "engine/case_file.h"
#include "suite/sweep_plan.h"
#include "suite/sweep_plan_shape.h"

namespace eofzero::suite {
namespace {

const std::filesystem::path kShippedCases = std::filesystem::path(EOFZERO_SOURCE_DIR) / "cases";

engine::CaseSpec Case(const std::string& steps) { return test::CaseFromSteps("c", steps); }

// The variant PlanSweep makes for the case's own tuple, or why there is none.
std::expected<Variant, std::string> OwnVariant(const engine::CaseSpec& spec) {
  auto own = AsWritten(spec);
  if (!own) return std::unexpected(own.error());
  SweepOptions o;
  o.primitives = {own->primitive};
  o.crashes = {own->crash};
  if (!own->distance.empty()) o.distances = {own->distance};
  auto vs = PlanSweep(spec, o);
  if (!vs) return std::unexpected(vs.error());
  if (vs->size() != 1) return std::unexpected(std::to_string(vs->size()) + " variants");
  return (*vs)[0];
}

// Steps of the same meaning, step by step; the first that differs.
std::string Difference(const std::vector<engine::Step>& a, const std::vector<engine::Step>& b) {
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    if (!SameMeaning(a[i], b[i]))
      return "step " + std::to_string(i) + ": '" + a[i].text + "' against '" + b[i].text + "'";
  if (a.size() != b.size())
    return std::to_string(a.size()) + " steps against " + std::to_string(b.size());
  return "";
}

TEST(AsWritten, EveryShippedCasesDurabilityPointIsAPrimitiveAndItsVariantIsTheCase) {
  auto all = engine::LoadCaseDirs({kShippedCases});
  ASSERT_TRUE(all) << all.error();
  ASSERT_GE(all->size(), 30u);
  for (const auto& spec : *all) {  // every case that fails is named
    auto own = AsWritten(spec);
    EXPECT_TRUE(own) << spec.name << ": " << own.error();
    if (!own) continue;
    auto v = OwnVariant(spec);
    EXPECT_TRUE(v) << spec.name << ": " << v.error();
    if (!v) continue;
    EXPECT_EQ(Difference(v->spec.steps, spec.steps), "") << spec.name;
    EXPECT_EQ(v->spec.name, spec.name + "." + own->primitive + "." + own->crash +
                                (own->distance.empty() ? "" : "." + own->distance));
  }
}

// What the catalog's durability points are (a change to a case shows here).
TEST(AsWritten, TheSeedsPointIsTheRangedSyncRange) {
  auto all = engine::LoadCaseDirs({kShippedCases});
  ASSERT_TRUE(all) << all.error();
  std::map<std::string, std::string> own;
  for (const auto& spec : *all)
    if (auto t = AsWritten(spec))
      own[spec.name] =
          t->primitive + " " + t->crash + (t->distance.empty() ? "" : " " + t->distance);
  EXPECT_EQ(own["append_write"], "sync_range logflush next-block");
  EXPECT_EQ(own["append_write_1k_nologflush"], "sync_range nologflush next-block");
  EXPECT_EQ(own["append_beyond_hole"], "sync_range logflush as-written");
  EXPECT_EQ(own["append_write_fsync"], "fsync logflush next-block");
  EXPECT_EQ(own["truncate_up"], "none logflush");
  EXPECT_EQ(own["fallocate"], "none logflush");
  EXPECT_EQ(own["dio_append_aligned"], "none logflush next-block");
  EXPECT_EQ(own["dio_append_unaligned"], "none logflush as-written");
  EXPECT_EQ(own["mmap_write_then_extend"], "none logflush");
  EXPECT_EQ(own["copy_range_extend"], "sync_range logflush");
}

// The control: a durability point no primitive is (sync_range with WRITE
// alone, a ranged sync of another range, msync with the mapping still
// there) is refused with the point's text.
TEST(AsWritten, ADurabilityPointThatIsNoPrimitiveIsRefused) {
  const std::string head = "pwrite -S 0x5a 0 {eob}\nfsync\ntruncate {eof}\nfsync\nplant\n";
  const std::string tail = "shutdown -f\ncycle_mount\ncheck gap\n";
  for (const std::string point :
       {"sync_range -w {eob} {bs}", "sync_range -b -w -a 0 {eob + bs}", "fsync\nfdatasync"}) {
    auto own = AsWritten(Case(head + "pwrite -S 0x42 {eob} {bs}\n" + point + "\n" + tail));
    ASSERT_FALSE(own) << point;
    EXPECT_NE(
        own.error().find("no primitive of the sweep runs it as written (its durability point: "),
        std::string::npos)
        << own.error();
  }
  auto msync = AsWritten(
      Case(head + "mmap {eof_block} {bs}\nmwrite -S 0x42 {eof_block} 8\nmsync -s\n" + tail));
  ASSERT_FALSE(msync);
  EXPECT_EQ(msync.error(),
            "no primitive of the sweep runs it as written (its durability point: msync -s)");
  auto none = AsWritten(Case("plant\nfsync\n" + tail));
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error(), "no extension between plant and shutdown");
}

// The case as written is found among the other crash modes and primitives.
TEST(AsWritten, TheTupleNamesTheCasesOwnCrashMode) {
  auto own = AsWritten(Case(test::kAppendWriteSteps));
  ASSERT_TRUE(own) << own.error();
  EXPECT_EQ(own->primitive, "sync_range");
  EXPECT_EQ(own->crash, "logflush");
  EXPECT_EQ(own->distance, "next-block");
  std::string freeze = test::kAppendWriteSteps;
  freeze.replace(freeze.find("shutdown -f"), 11, "shutdown -s");
  freeze.replace(freeze.find("sync_range -b -w -a {eob} {bs}"), 30, "fdatasync");
  own = AsWritten(Case(freeze));
  ASSERT_TRUE(own) << own.error();
  EXPECT_EQ(own->primitive, "fdatasync");
  EXPECT_EQ(own->crash, "freeze");
}

}  // namespace
}  // namespace eofzero::suite
