#include "scratch/crash_states.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>

#include "scratch/state_image.h"
#include "temp_dir.h"

namespace eofzero::scratch {
namespace {

LogRecord W(std::uint64_t offset, std::uint8_t byte, std::size_t length = 512) {
  return WriteRecord(offset, Bytes(length, byte));
}
LogRecord Barrier() { return {RecordType::kBarrier, 0, 0, 0, {}}; }
LogRecord Step(std::uint64_t sequence, const std::string& text) {
  return {RecordType::kStep, 0, sequence, 0, Bytes(text.begin(), text.end())};
}

// A case's log: mkfs (step 1), the plant (step 3) ending with a barrier and
// a write after it, the extension (step 5: three writes), the crash (step 6:
// two writes, a barrier, one write, a barrier), then the remount (step 7).
//   index: 0 s1, 1 W, 2 B1, 3 s3, 4 W, 5 B2, 6 W(plant's tail),
//          7 s5, 8 W, 9 W, 10 W(2 sectors), 11 s6, 12 W, 13 W, 14 B3, 15 W, 16 B4,
//          17 s7, 18 W, 19 B5
ParsedLog CaseLog() {
  ParsedLog log;
  log.header = {16384, 512, 4096, 0};
  log.records = {Step(1, "mkfs"),       W(0, 1),         Barrier(),
                 Step(3, "c:11: plant"), W(512, 2),       Barrier(),
                 W(1024, 3),             Step(5, "c:12: pwrite"), W(1536, 4),
                 W(2048, 5),             W(4096, 6, 1024), Step(6, "c:15: shutdown -f"),
                 W(8192, 7),             W(8704, 8),      Barrier(),
                 W(9216, 9),             Barrier(),       Step(7, "c:16: cycle_mount"),
                 W(0, 10),               Barrier()};
  log.ended = true;
  return log;
}

std::set<std::string> Texts(const StatePlan& plan) {
  std::set<std::string> out;
  for (const auto& s : plan.states) out.insert(StateAddressText(s));
  return out;
}

TEST(CrashStates, TheWindowRunsFromTheEndOfThePlantToTheEndOfTheCrashStep) {
  const ParsedLog log = CaseLog();
  EXPECT_EQ(BarriersBy(log, 3), 2u);  // the plant's last barrier
  EXPECT_EQ(BarriersBy(log, 5), 2u);  // the extension issued none
  EXPECT_EQ(BarriersBy(log, 6), 4u);
  EXPECT_EQ(BarriersBy(log, 7), 5u);
  auto plan = PlanCrashStates(log, 3, 6, {});
  ASSERT_TRUE(plan) << plan.error();
  EXPECT_EQ(plan->first_barrier, 2u);
  EXPECT_EQ(plan->last_barrier, 4u);
  // Epoch 2: the plant's tail write, 3 extension writes, 2 of the crash's
  // (6); epoch 3: one; epoch 4: none inside the window (the remount's write
  // is not a crash state of this case).
  EXPECT_EQ(plan->window_changes, 7u);
  const auto texts = Texts(*plan);
  EXPECT_EQ(plan->states.size(), texts.size()) << "a state planned twice";
  EXPECT_EQ(plan->states.size(), 64u + 2u + 1u);  // 2^6 of epoch 2, 2 of epoch 3, state 4
  EXPECT_TRUE(texts.contains("2"));
  EXPECT_TRUE(texts.contains("2:0-5"));
  EXPECT_TRUE(texts.contains("2:1,4"));
  EXPECT_TRUE(texts.contains("3:0"));
  EXPECT_TRUE(texts.contains("4"));
  EXPECT_FALSE(texts.contains("4:0")) << "the remount's write is outside the window";
  // Every range a window change touched, merged.
  EXPECT_EQ(plan->touched, (std::vector<ByteRange>{{1024, 2560}, {4096, 5120}, {8192, 9728}}));
}

TEST(CrashStates, ALargerEpochGetsItsPrefixesAndSeededSamples) {
  const ParsedLog log = CaseLog();
  StatePlanOptions options;
  options.subset_limit = 3;
  options.samples = 5;
  options.seed = 7;
  auto plan = PlanCrashStates(log, 3, 6, options);
  ASSERT_TRUE(plan) << plan.error();
  const auto texts = Texts(*plan);
  for (const char* prefix : {"2:0", "2:0-1", "2:0-2", "2:0-3", "2:0-4", "2:0-5"})
    EXPECT_TRUE(texts.contains(prefix)) << prefix;
  EXPECT_LE(plan->states.size(), 1u + 6u + 5u + 2u + 1u);
  EXPECT_GT(plan->states.size(), 1u + 6u + 2u + 1u) << "no sample was drawn";
  auto again = PlanCrashStates(log, 3, 6, options);
  EXPECT_EQ(Texts(*again), texts) << "the same seed plans other states";
  options.seed = 8;
  EXPECT_NE(Texts(*PlanCrashStates(log, 3, 6, options)), texts);
}

TEST(CrashStates, TornStatesKeepTheChangesBeforeTheTornWrite) {
  const ParsedLog log = CaseLog();
  StatePlanOptions options;
  options.torn = true;
  const auto texts = Texts(*PlanCrashStates(log, 3, 6, options));
  // Change 3 of epoch 2 is the only write of more than one sector (2).
  EXPECT_TRUE(texts.contains("2:0-2,3@0"));
  EXPECT_EQ(std::count_if(texts.begin(), texts.end(),
                          [](const std::string& t) { return t.find('@') != std::string::npos; }),
            1);
}

TEST(CrashStates, APlanNeedsThePlantLoggedBeforeTheCrash) {
  const ParsedLog log = CaseLog();
  EXPECT_FALSE(PlanCrashStates(log, 6, 3, {}));
  EXPECT_FALSE(PlanCrashStates(log, 4, 6, {})) << "step 4 issued nothing: no plant in the log";
}

TEST(CrashStates, NoStateComesFromACutOrDamagedLogOrAPlantWithoutAFlush) {
  ParsedLog cut = CaseLog();
  cut.records.resize(16);  // ends inside the crash step
  EXPECT_FALSE(PlanCrashStates(cut, 3, 6, {}));
  ParsedLog damaged = CaseLog();
  damaged.damage = "record 9: checksum mismatch";
  EXPECT_FALSE(PlanCrashStates(damaged, 3, 6, {}));
  ParsedLog unflushed = CaseLog();
  unflushed.records.erase(unflushed.records.begin() + 5);  // the plant's barrier
  auto plan = PlanCrashStates(unflushed, 3, 6, {});
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().find("no flush"), std::string::npos) << plan.error();
}

TEST(CrashStates, EveryPlannedStateServedInLayersIsTheOneLogReplayRebuilds) {
  const ParsedLog log = CaseLog();
  StatePlanOptions options;
  options.torn = true;
  auto plan = PlanCrashStates(log, 3, 6, options);
  ASSERT_TRUE(plan);
  testing::TempDir dir;
  int n = 0;
  for (const auto& state : plan->states) {
    const std::string text = StateAddressText(state);
    SCOPED_TRACE(text);
    const auto out = dir.path() / ("s" + std::to_string(n++) + ".img");
    ASSERT_TRUE(ReplayState(log, *ParseStateAddress(text), out.string()));
    std::ifstream in(out, std::ios::binary);
    const std::string replayed{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    auto image = StateImage::Create(log, state, -1);
    ASSERT_TRUE(image);
    std::string served(log.header.image_bytes, '?');
    (*image)->Read(0, std::span(reinterpret_cast<std::uint8_t*>(served.data()), served.size()));
    EXPECT_TRUE(served == replayed);
  }
}

TEST(CrashStates, AStateNamesTheStepsThatIssuedItsEpochsWrites) {
  const ParsedLog log = CaseLog();
  EXPECT_EQ(StepsOfState(log, *ParseStateAddress("2:1,4")),
            (std::vector<std::string>{"c:12: pwrite", "c:15: shutdown -f"}));
  EXPECT_EQ(StepsOfState(log, *ParseStateAddress("2:0")),
            (std::vector<std::string>{"c:11: plant"}));
  EXPECT_TRUE(StepsOfState(log, *ParseStateAddress("3")).empty());
}

TEST(CrashStates, TheControlChangesTheLastWindowWriteOverTheGap) {
  ParsedLog log = CaseLog();
  const Bytes sentinel(16, 0x45);
  // The gap [8700, 8716) spans the ends of records 12 and 13: the last is 13.
  auto which = PlantInLoggedWrite(log, 3, 6, {8700, 8716}, sentinel);
  ASSERT_TRUE(which);
  EXPECT_EQ(*which, "record 13: write 8704 +512 during c:15: shutdown -f");
  EXPECT_EQ(log.records[13].payload[0], 0x45);
  EXPECT_EQ(log.records[13].payload[11], 0x45);
  EXPECT_EQ(log.records[13].payload[12], 8);
  EXPECT_EQ(log.records[12].payload[511], 7) << "only the last covering write changes";
  // The remount's write over block 0 is outside the window.
  EXPECT_FALSE(PlantInLoggedWrite(log, 3, 6, {100, 116}, sentinel));
}

}  // namespace
}  // namespace eofzero::scratch
