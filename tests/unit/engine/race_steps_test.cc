// The race steps over the fake machine (its calls may come from several
// threads): they parse and validate, run to a PASS on a filesystem that
// keeps every write, and a lost writer's sector, a stale byte or reads that
// disagree are caught. The pure range check is tested on its own.
#include "engine/race_steps.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>

#include "engine/case_file.h"
#include "engine/race_check.h"
#include "engine/scenario.h"
#include "fake_system.h"
#include "oracles/verdict.h"

namespace eofzero::engine {
namespace {

using oracles::Outcome;
using test::FakeSystem;

constexpr const char* kMount = "/fake/mnt";

// --- The pure check ---

RaceExpectation TwoWriters() {
  RaceExpectation e{
      .line = 9, .what = "race_dio iteration 0", .offset = 8192, .expected = Bytes(4096, 0)};
  std::fill_n(e.expected.begin() + 512, 512, 0xa1);
  std::fill_n(e.expected.begin() + 2560, 512, 0xb2);
  return e;
}

TEST(RaceCheck, ExactBytesPass) {
  const auto e = TwoWriters();
  EXPECT_TRUE(CheckRaceRange(e, e.expected, 1 << 20, false, "buffered").empty());
}

TEST(RaceCheck, ALostWriterSectorIsAFinding) {
  const auto e = TwoWriters();
  Bytes got = e.expected;
  std::fill_n(got.begin() + 512, 512, 0);  // the other writer's zeroing wiped it
  const auto f = CheckRaceRange(e, got, 1 << 20, false, "O_DIRECT read, before the crash");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0],
            "line 9 race_dio iteration 0: [8704, 9216) read 0x00 where the case wrote 0xa1 "
            "(O_DIRECT read, before the crash)");
  // After a crash no promise covered, a lost write is allowed (zero), still
  // never a stale byte.
  EXPECT_TRUE(CheckRaceRange(e, got, 1 << 20, true, "x").empty());
}

TEST(RaceCheck, AStaleByteIsAFindingEvenWhereZeroIsAllowed) {
  const auto e = TwoWriters();
  Bytes got = e.expected;
  got[100] = 0x77;
  for (bool zero_allowed : {false, true}) {
    const auto f = CheckRaceRange(e, got, 1 << 20, zero_allowed, "buffered read");
    ASSERT_EQ(f.size(), 1u);
    EXPECT_NE(f[0].find("[8292, 8293) read 0x77 where zero was due"), std::string::npos) << f[0];
  }
}

TEST(RaceCheck, ARunOfDifferentBytesIsOneFindingWithItsBytes) {
  const auto e = TwoWriters();
  Bytes got = e.expected;
  for (int k = 0; k < 20; ++k) got[100 + k] = static_cast<std::uint8_t>(k + 1);
  const auto f = CheckRaceRange(e, got, 1 << 20, false, "raw");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].find("[8292, 8312) read 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 ... "
                      "where zero was due (raw)"),
            std::string::npos)
      << f[0];
}

TEST(RaceCheck, MaybeRangesAllowZeroAndBytesPastTheSizeAreNotJudged) {
  auto e = TwoWriters();
  Bytes got = e.expected;
  std::fill_n(got.begin() + 2560, 512, 0);  // an EAGAIN writer's sector
  EXPECT_EQ(CheckRaceRange(e, got, 1 << 20, false, "x").size(), 1u);
  e.maybe.push_back({8192 + 2560, 8192 + 3072});
  EXPECT_TRUE(CheckRaceRange(e, got, 1 << 20, false, "x").empty());
  got[4000] = 0x77;
  EXPECT_TRUE(CheckRaceRange(e, got, 8192 + 4000, false, "x").empty()) << "past the size";
  EXPECT_EQ(CheckRaceRange(e, got, 8192 + 4001, false, "x").size(), 1u);
}

TEST(RaceCheck, PromisedSinceStopsAtTheCrash) {
  History h;
  h.events.push_back({.kind = Event::Kind::kWrite});
  h.events.push_back({.kind = Event::Kind::kPromise, .promise = Promise::kRange});
  EXPECT_FALSE(PromisedSince(h, 1)) << "a range promise is not the whole file's";
  h.events.push_back({.kind = Event::Kind::kCrash});
  h.events.push_back({.kind = Event::Kind::kPromise, .promise = Promise::kFile});
  EXPECT_FALSE(PromisedSince(h, 1)) << "a promise after the crash";
  h.events.insert(h.events.begin() + 2, Event{.kind = Event::Kind::kPromise});
  EXPECT_TRUE(PromisedSince(h, 1));
  EXPECT_FALSE(PromisedSince(h, 3));
}

// --- Parsing and validation ---

std::expected<CaseSpec, std::string> Parse(const std::string& steps) {
  return ParseCaseText(
      "name = \"r\"\nlanguage = 2\npurpose = \"a test\"\nsteps = '''\n" + steps + "'''\n",
      "/cases/r.toml");
}

const std::string kPreamble = R"(pwrite -S 0x5a 0 {eob}
fsync
truncate {eof}
fsync
plant
)";
const std::string kCrash = R"(check gap
fsync
shutdown -f
cycle_mount
expect size {eob + 100 * bs}
check gap
)";

TEST(RaceSteps, ParseWithTheirFlags) {
  for (const char* step : {"race_mmap_append -n 50 -S 0x42", "race_dio -n 50 -u -N {eob}",
                           "race_dio_read -n 3 0 {eob}", "check races"}) {
    auto spec = Parse(kPreamble + step + "\n" + kCrash);
    EXPECT_TRUE(spec) << step << ": " << spec.error();
  }
}

TEST(RaceSteps, BadFlagsAndArgumentsAreFileLineErrors) {
  auto spec = Parse(kPreamble + "race_dio -x {eob}\n" + kCrash);
  ASSERT_FALSE(spec);
  EXPECT_NE(spec.error().find("/cases/r.toml:"), std::string::npos) << spec.error();
  EXPECT_NE(spec.error().find("race_dio: unknown flag '-x'"), std::string::npos) << spec.error();
  spec = Parse(kPreamble + "race_dio_read 0\n" + kCrash);
  ASSERT_FALSE(spec);
  EXPECT_NE(spec.error().find("2 argument(s) expected, 1 given"), std::string::npos);
}

TEST(RaceSteps, RepeatCountsOutOfRangeAreInvalid) {
  const StepDef* def = FindStep("race_dio");
  ASSERT_NE(def, nullptr);
  EXPECT_EQ(def->demand({4096}, {{'n', 0}}).invalid, "-n 0 is not a repeat count from 1 to 1000");
  EXPECT_FALSE(def->demand({4096}, {{'n', 1001}}).invalid.empty());
  EXPECT_TRUE(def->demand({4096}, {{'n', 1000}}).invalid.empty());
  EXPECT_FALSE(FindStep("race_mmap_append")->demand({}, {{'n', 0}}).invalid.empty());
  EXPECT_FALSE(FindStep("race_dio_read")->demand({0, 4096}, {{'n', 5000}}).invalid.empty());
}

// --- On the fake machine ---

// Changes the second O_DIRECT write of one sector it sees: kLose reports it
// done and never does it (a writer whose bytes another writer's zeroing
// wiped); kEagain fails it with EAGAIN, as RWF_NOWAIT may.
class SectorWriteFault final : public os::SystemWrapper {
 public:
  enum Mode { kNone, kLose, kEagain };
  SectorWriteFault(os::System& target, Mode mode) : SystemWrapper(target), mode_(mode) {}
  os::Status Write(int fd, ByteView data, std::uint64_t offset, const os::WriteHow& how,
                   const std::string& what) override {
    if (mode_ != kNone && how.alignment && data.size() == 512 && ++sector_writes_ == 2)
      return mode_ == kLose ? os::Status{} : os::FailErrno("pwritev2 (fake)", EAGAIN);
    return SystemWrapper::Write(fd, data, offset, how, what);
  }

 private:
  const Mode mode_;
  std::atomic<int> sector_writes_{0};
};

struct Machine {
  explicit Machine(SectorWriteFault::Mode mode = SectorWriteFault::kNone,
                   std::uint32_t block_size = 4096)
      : sys("/dev/fake", kMount, block_size), fault(sys, mode) {
    fs = scratch::ScratchFs::Adopt(fault, scratch::ScratchSpec{}, "/dev/fake", 0, "fake-uuid",
                                   kMount, block_size);
  }
  oracles::Verdict Run(const std::string& steps) {
    auto spec = Parse(steps);
    EXPECT_TRUE(spec) << spec.error();
    run = RunCase(*fs, *spec, ScenarioOptions{});
    return oracles::Judge(run);
  }
  FakeSystem sys;
  SectorWriteFault fault;
  std::unique_ptr<scratch::ScratchFs> fs;
  CaseRun run;
};

const std::string kDioRace =
    kPreamble + "truncate {eob + 100 * bs}\nrace_dio -n 5 {eob}\n" + kCrash + "check races\n";

TEST(RaceSteps, TwoDirectWritersPassWhenBothWritesLand) {
  Machine m;
  auto v = m.Run(kDioRace);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v.summary << " " << m.run.reason;
  EXPECT_TRUE(m.run.race_findings.empty());
  int direct_writes = 0;
  for (const auto& e : m.run.history.events)
    direct_writes += e.what == "race_dio O_DIRECT write" ? 1 : 0;
  EXPECT_EQ(direct_writes, 10) << "each writer's write is in the crash model's history";
}

TEST(RaceSteps, ALostWriterSectorFailsBeforeAndAfterTheCrash) {
  Machine m(SectorWriteFault::kLose);
  auto v = m.Run(kDioRace);
  ASSERT_EQ(v.outcome, Outcome::kFail) << v.summary << " " << m.run.reason;
  // Which writer's write the fault takes depends on the threads' order.
  EXPECT_NE(v.summary.find("race_dio iteration 0: two O_DIRECT writers into a hole: ["),
            std::string::npos)
      << v.summary;
  EXPECT_NE(v.summary.find("read 0x00 where the case wrote"), std::string::npos) << v.summary;
  bool before = false, after = false;
  for (const auto& f : m.run.race_findings) {
    before |= f.find("before the crash") != std::string::npos;
    after |= f.find("after the crash") != std::string::npos;
  }
  EXPECT_TRUE(before && after) << "the race step and `check races` both see it";
}

TEST(RaceSteps, EagainFromNowaitIsAllowed) {
  Machine m(SectorWriteFault::kEagain);
  auto v = m.Run(kPreamble + "truncate {eob + 100 * bs}\nrace_dio -n 2 -N {eob}\n" + kCrash +
                 "check races\n");
  EXPECT_EQ(v.outcome, Outcome::kPass) << v.summary << " " << m.run.reason;
  ASSERT_FALSE(m.run.notes.empty());
  EXPECT_NE(m.run.notes.back().find("of 4 RWF_NOWAIT O_DIRECT writes returned EAGAIN"),
            std::string::npos)
      << m.run.notes.back();
}

TEST(RaceSteps, RaceBlocksOutsideTheFileAreAnError) {
  Machine m;
  auto v = m.Run(kPreamble + "race_dio -n 5 {eob}\n" + kCrash);
  EXPECT_EQ(v.outcome, Outcome::kError);
  EXPECT_NE(m.run.reason.find("must lie inside the file"), std::string::npos) << m.run.reason;
}

TEST(RaceSteps, MmapAppendGrowsTheFileAndPasses) {
  Machine m;
  auto v = m.Run(kPreamble +
                 "race_mmap_append -n 3 -S 0x42\ncheck gap\nshutdown -f\n"
                 "cycle_mount\nexpect size {eof + 3 * bs}\ncheck gap\ncheck races\n");
  EXPECT_EQ(v.outcome, Outcome::kPass) << v.summary << " " << m.run.reason;
  EXPECT_TRUE(m.run.race_findings.empty());
}

// With blocks smaller than a page, a later iteration's stores below its EOF
// cover an earlier iteration's gap, inside the file by then: the case's own
// bytes there, not a finding.
TEST(RaceSteps, MmapAppendWithSmallBlocksAllowsLaterStoresOverEarlierGaps) {
  Machine m(SectorWriteFault::kNone, 1024);
  auto v = m.Run(kPreamble +
                 "race_mmap_append -n 5 -S 0x42\ncheck gap\nshutdown -f\n"
                 "cycle_mount\nexpect size {eof + 5 * bs}\ncheck gap\ncheck races\n");
  EXPECT_EQ(v.outcome, Outcome::kPass) << v.summary << " " << m.run.reason;
  EXPECT_TRUE(m.run.race_findings.empty());
}

TEST(RaceSteps, DirectReadsAgreeOnTheFake) {
  Machine m;
  auto v = m.Run(kPreamble +
                 "pwrite -S 0x42 {eob} {4 * bs}\nrace_dio_read -n 2 0 {eob + 4 * bs}\n"
                 "check gap\nshutdown -f\ncycle_mount\nexpect size {eob + 4 * bs}\n"
                 "check gap\nrace_dio_read -n 2 0 {eob + 4 * bs}\n");
  EXPECT_EQ(v.outcome, Outcome::kPass) << v.summary << " " << m.run.reason;
  EXPECT_TRUE(m.run.disagreements.empty());
}

}  // namespace
}  // namespace eofzero::engine
