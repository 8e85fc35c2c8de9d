// A crash point's resume state: what a crash state's run starts from, made
// from the run that recorded it, and only from a run that planted and crashed.
#include <gtest/gtest.h>

#include "engine/observations.h"

namespace eofzero::engine {
namespace {

TEST(ResumeFrom, IsThePlantTheCrashPointAndTheHistoryOfARunThatCrashed) {
  CaseRun run;
  run.case_name = "append_write";
  run.case_file = "cases/append_write.toml";
  run.case_text = "name = \"append_write\"\n";
  run.altered_by = {"--inject-fault stale-after-crash"};
  EXPECT_FALSE(ResumeFrom(run)) << "no plant, no crash";
  run.plant = PlantRecord{{}, 1 << 20, 4096, true, true};
  EXPECT_FALSE(ResumeFrom(run)) << "planted, never crashed";
  run.crash_point = CrashPoint{2, 7, {WrittenRange{{4080, 4096}, Bytes(16, 0)}}, 3, {}};
  run.history.events.resize(3);
  // What the run observed is no part of it.
  run.notes = {"a note"};
  run.views.resize(2);
  run.sizes.push_back({Phase::kAfterCrash, 9, 8192, 8192});
  run.durable_size_at_crash = 4080;
  run.extent_after_crash = os::Extent{};
  auto from = ResumeFrom(run);
  ASSERT_TRUE(from);
  EXPECT_EQ(from->case_name, "append_write");
  EXPECT_EQ(from->case_file, run.case_file);
  EXPECT_EQ(from->case_text, run.case_text);
  EXPECT_EQ(from->altered_by, run.altered_by);
  EXPECT_EQ(from->plant.device_offset, 1u << 20);
  EXPECT_EQ(from->crash.crash_step, 7u);
  EXPECT_EQ(from->crash.written.size(), 1u);
  EXPECT_EQ(from->history.events.size(), 3u);
}

}  // namespace
}  // namespace eofzero::engine
