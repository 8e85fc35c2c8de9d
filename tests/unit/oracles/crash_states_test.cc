#include "oracles/crash_states.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace eofzero::oracles {
namespace {

using engine::Event;

engine::History SampleHistory() {
  engine::History h;
  h.events.push_back({.kind = Event::Kind::kWrite, .line = 7, .what = "pwrite"});
  h.events.push_back({.kind = Event::Kind::kPromise, .line = 11, .what = "the plant"});
  h.events.push_back({.kind = Event::Kind::kWrite, .line = 12, .what = "pwrite"});
  h.events.push_back({.kind = Event::Kind::kPromise, .line = 14, .what = "fsync"});
  h.events.push_back({.kind = Event::Kind::kCrash, .line = 15, .what = "logflush"});
  h.events.push_back({.kind = Event::Kind::kWrite, .line = 17, .what = "after"});
  return h;
}

TEST(CrashStates, AStateKeepsOnlyThePromisesItsBarrierCovers) {
  const auto h = SampleHistory();
  const std::vector<std::uint64_t> barriers = {0, 24, 0, 26, 0, 0};
  auto before_fsync = HistoryOfState(h, 5, barriers, 25);
  ASSERT_EQ(before_fsync.events.size(), 4u) << "the fsync's flush is not in state 25";
  EXPECT_EQ(before_fsync.events[1].what, "the plant");
  EXPECT_EQ(before_fsync.events[3].kind, Event::Kind::kCrash);
  auto after_fsync = HistoryOfState(h, 5, barriers, 26);
  EXPECT_EQ(after_fsync.events.size(), 5u);
  EXPECT_EQ(after_fsync.events[3].what, "fsync");
}

CheckedState State(Outcome o, const std::string& address) {
  CheckedState s;
  s.outcome = o;
  s.address = address;
  s.summary = "why " + address;
  return s;
}

TEST(CrashStates, OneFailingStateFailsTheCaseAndIsNamed) {
  CrashStates s;
  s.first_barrier = 24;
  s.last_barrier = 27;
  s.states = {State(Outcome::kSkip, "24"), State(Outcome::kPass, "25"),
              State(Outcome::kError, "26"), State(Outcome::kFail, "26:0")};
  JudgeCrashStates(s);
  EXPECT_EQ(s.outcome, Outcome::kFail);
  EXPECT_NE(s.summary.find("first: state 26:0: why 26:0"), std::string::npos) << s.summary;
  s.states.pop_back();
  JudgeCrashStates(s);
  EXPECT_EQ(s.outcome, Outcome::kError);
  s.states.pop_back();
  JudgeCrashStates(s);
  EXPECT_EQ(s.outcome, Outcome::kPass);
  EXPECT_NE(s.summary.find("1 held every invariant"), std::string::npos) << s.summary;
  s.states = {State(Outcome::kSkip, "24"), State(Outcome::kSkip, "24:0")};
  JudgeCrashStates(s);
  EXPECT_EQ(s.outcome, Outcome::kSkip) << "no state held the extension: " << s.summary;
  s.states.push_back(State(Outcome::kPass, "25"));
  s.interrupted = "interrupted by signal 2 after 2 of 9 states";
  JudgeCrashStates(s);
  EXPECT_EQ(s.outcome, Outcome::kError) << "an interrupted check is never a pass";
  s.states.clear();
  s.interrupted.clear();
  s.not_checked = "the case has no planted crash";
  JudgeCrashStates(s);
  EXPECT_EQ(s.outcome, Outcome::kSkip);
  s.error = "the write log ends inside the crash (step 12): it was cut short";
  JudgeCrashStates(s);
  EXPECT_EQ(s.outcome, Outcome::kError) << "a cut log is never a skip";
}

TEST(CrashStates, AStateTheFilesystemRefusesToMountAsCorruptIsAFailure) {
  engine::CaseRun run;
  run.status = engine::RunStatus::kError;
  run.reason = "line 16 'cycle_mount': mount: Structure needs cleaning";
  CheckedState s;
  JudgeState(s, run, EUCLEAN);
  EXPECT_EQ(s.outcome, Outcome::kFail);
  JudgeState(s, run, EBUSY);
  EXPECT_EQ(s.outcome, Outcome::kError) << "not the filesystem's finding";
}

TEST(CrashStates, TheRebuildCommandNamesTheLogAndTheState) {
  EXPECT_EQ(ReplayCommand("/r/ext4-4096.ezlog", "24:0,2"),
            "eofzero log replay /r/ext4-4096.ezlog --state 24:0,2 --image state.img");
  EXPECT_EQ(ReplayCommand("/r/a b'c/x.ezlog", "1"),
            "eofzero log replay '/r/a b'\\''c/x.ezlog' --state 1 --image state.img");
}

}  // namespace
}  // namespace eofzero::oracles
