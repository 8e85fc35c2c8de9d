// The crash model's record of a file: what it holds piece by piece, and the
// shifts fcollapse and finsert make (through the interpreter, on the fake
// machine, whose filesystem moves the bytes as the kernel does).
#include "engine/history.h"

#include <gtest/gtest.h>

#include <memory>

#include "case_text.h"
#include "engine/interpreter.h"
#include "engine/scenario.h"
#include "engine/sentinel.h"
#include "fake_system.h"
#include "oracles/invariants.h"
#include "oracles/verdict.h"

namespace eofzero::engine {
namespace {

Event Write(std::uint64_t offset, std::uint64_t length, std::uint8_t fill, std::uint64_t before) {
  Event e{.kind = Event::Kind::kWrite, .content = {offset, length, fill, {}}};
  e.size_before = before;
  e.size_after = std::max(before, offset + length);
  return e;
}

TEST(CurrentPieces, AreTheLastWriteOrZeroAtEachByteUpToTheSize) {
  History h;
  h.events.push_back(Write(0, 8192, 0x61, 0));
  h.events.push_back(Write(4096, 100, 0x62, 8192));
  Event zero{.kind = Event::Kind::kZero, .begin = 0, .end = 10};
  zero.size_before = zero.size_after = 8192;
  h.events.push_back(zero);
  Event cut{.kind = Event::Kind::kResize};
  cut.size_before = 8192;
  cut.size_after = 6000;
  h.events.push_back(cut);
  const std::vector<Piece> expected = {{0, 10, -1}, {10, 4096, 0}, {4096, 4196, 1}, {4196, 6000, 0}};
  EXPECT_EQ(CurrentPieces(h), expected);
}

struct Machine {
  test::FakeSystem sys{"/dev/fake", "/fake/mnt", 4096};
  std::unique_ptr<scratch::ScratchFs> fs = scratch::ScratchFs::Adopt(
      sys, scratch::ScratchSpec{}, "/dev/fake", 0, "fake-uuid", "/fake/mnt", 4096);
  CaseRun Run(const std::string& steps) {
    return RunCase(*fs, test::CaseFromSteps("shift", steps), ScenarioOptions{});
  }
};

// The file's bytes before the crash as the model has them, from its pieces.
Bytes ModelBytes(const History& h) {
  Bytes out(h.size(), 0);
  for (const Piece& p : CurrentPieces(h))
    for (std::uint64_t at = p.begin; p.source >= 0 && at < p.end; ++at)
      out[at] = h.events[static_cast<std::size_t>(p.source)].content.At(at);
  return out;
}

History UpToTheCrash(const History& h) {
  History out;
  for (const Event& e : h.events) {
    if (e.kind == Event::Kind::kCrash) break;
    out.events.push_back(e);
  }
  return out;
}

// The planted first block (the sentinel below the old EOF is file data: the
// plant wrote it there; the gap is zero), then blocks of these bytes.
Bytes PlantedThen(std::initializer_list<std::uint8_t> fills) {
  Bytes out = SentinelBlock(4096);
  std::fill(out.begin() + 4080, out.end(), 0);
  for (std::uint8_t f : fills) out.insert(out.end(), 4096, f);
  return out;
}

constexpr const char* kThreeBlocks =
    "pwrite -S 0x5a 0 {eob}\nfsync\ntruncate {eof}\nfsync\nplant\n"
    "pwrite -S 0x61 4096 4096\npwrite -S 0x62 8192 4096\npwrite -S 0x63 12288 4096\n";

TEST(Shift, FcollapseMovesTheRestDownAndTheModelFollows) {
  Machine m;
  CaseRun run = m.Run(std::string(kThreeBlocks) +
                      "fcollapse 4096 4096\ncheck gap\nshutdown -f\ncycle_mount\ncheck gap\n");
  ASSERT_EQ(run.status, RunStatus::kCompleted) << run.reason;
  ASSERT_TRUE(run.history.complete) << run.history.incomplete_reason;
  // Before the crash: the planted block, then b and c (a is gone).
  const Bytes want = PlantedThen({0x62, 0x63});
  const History before = UpToTheCrash(run.history);
  EXPECT_EQ(ModelBytes(before), want);
  const oracles::Verdict v = oracles::Judge(run);
  EXPECT_EQ(v.outcome, oracles::Outcome::kPass) << v.summary;
}

TEST(Shift, FinsertOpensAHoleAndMovesTheRestUp) {
  Machine m;
  CaseRun run =
      m.Run(std::string(kThreeBlocks) + "finsert 8192 4096\ncheck gap\nshutdown -f\ncycle_mount\ncheck gap\n");
  ASSERT_EQ(run.status, RunStatus::kCompleted) << run.reason;
  const Bytes want = PlantedThen({0x61, 0x00, 0x62, 0x63});
  const History before = UpToTheCrash(run.history);
  EXPECT_EQ(ModelBytes(before), want);
  EXPECT_EQ(oracles::Judge(run).outcome, oracles::Outcome::kPass);
}

// The control: a model that did not move the bytes would see the fake's
// (moved) file as wrong. Here the case's own reads would be judged against
// a history whose collapse is left out.
TEST(Shift, AModelThatDidNotMoveTheBytesIsCaught) {
  Machine m;
  CaseRun run = m.Run(std::string(kThreeBlocks) +
                      "fcollapse 4096 4096\ncheck gap\nshutdown -f\ncycle_mount\ncheck gap\n");
  ASSERT_EQ(run.status, RunStatus::kCompleted) << run.reason;
  History unmoved;
  for (const Event& e : run.history.events)
    if (e.what != "fcollapse") unmoved.events.push_back(e);
  oracles::CrashModel model(unmoved);
  bool broken = false;
  for (const FileView& read : run.file_views)
    broken |= !model.CheckAfterCrash(read).empty() || !model.CheckSize(read.file_size).empty();
  EXPECT_TRUE(broken) << "the fake's file was judged right by a model that never moved its bytes";
}

}  // namespace
}  // namespace eofzero::engine
