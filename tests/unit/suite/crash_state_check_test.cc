#include "suite/crash_state_check.h"

#include <gtest/gtest.h>

#include <csignal>

#include "report/crash_states_report.h"

namespace eofzero::suite {
namespace {

using oracles::Outcome;

// A case that crashed, then stopped before its end, as RunCase hands it over.
engine::CaseRun Stopped(engine::RunStatus status, const std::string& reason) {
  engine::CaseRun run;
  run.case_name = "append_write";
  run.case_file = "/cases/append_write.toml";
  run.status = status;
  run.reason = reason;
  run.crash_point = engine::CrashPoint{};
  return run;
}

oracles::CrashStates Checked(const engine::CaseRun& run, int signal) {
  StateSource source;  // never read: nothing is served for a case that stopped
  source.log_path = "/r/ext4-4096.ezlog";
  return CheckCrashStates(source, engine::CaseSpec{}, engine::ScenarioOptions{}, run,
                          CrashStatesOptions{}, [signal] { return signal; });
}

const report::ConfigInfo kConfig{"ext4", 4096, "", "", "/dev/loop9"};

// The hostile round's SIGINT in cycle_mount (or a killed recording server)
// left append_write@states a SKIP that had run, though it never ran: the
// README calls a case that did not run to its end an ERROR.
TEST(CrashStateCheck, ACaseStoppedBeforeItsEndLeavesItsStatesAnErrorThatDidNotRun) {
  auto states = Checked(Stopped(engine::RunStatus::kError,
                                "line 16 'cycle_mount': mount: Interrupted system call"),
                        SIGINT);
  EXPECT_EQ(states.outcome, Outcome::kError);
  EXPECT_EQ(states.summary, "not run: interrupted by signal 2 (SIGINT)");
  auto record = report::MakeCrashStatesRecord(kConfig, states);
  EXPECT_EQ(record.case_name, "append_write@states");
  EXPECT_EQ(record.outcome, Outcome::kError);
  EXPECT_TRUE(record.not_run);

  states = Checked(Stopped(engine::RunStatus::kError,
                           "line 16 'cycle_mount': mount: Input/output error"),
                   0);
  EXPECT_EQ(states.outcome, Outcome::kError);
  EXPECT_EQ(states.summary,
            "not run: the case did not run to its end (ERROR: line 16 'cycle_mount': mount: "
            "Input/output error)");
  EXPECT_TRUE(report::MakeCrashStatesRecord(kConfig, states).not_run);
}

// States whose checks a signal stopped did not run to their end either,
// however many were checked before it.
TEST(CrashStateCheck, StatesAnInterruptStoppedMidwayDidNotRunToTheirEnd) {
  oracles::CrashStates states;
  states.case_name = "append_write";
  oracles::CheckedState held;
  held.address = "24";
  held.outcome = Outcome::kPass;
  states.states = {held};
  states.interrupted = "interrupted by signal 2 after 1 of 9 distinct states";
  oracles::JudgeCrashStates(states);
  EXPECT_EQ(states.outcome, Outcome::kError);
  EXPECT_TRUE(report::MakeCrashStatesRecord(kConfig, states).not_run);
}

TEST(CrashStateCheck, ASkippedCaseLeavesItsStatesSkipped) {
  auto states = Checked(Stopped(engine::RunStatus::kSkipped, "the extension was lost"), 0);
  EXPECT_EQ(states.outcome, Outcome::kSkip);
  EXPECT_EQ(states.summary, "no crash state checked: the case was skipped: the extension was lost");
  EXPECT_FALSE(report::MakeCrashStatesRecord(kConfig, states).not_run);
}

}  // namespace
}  // namespace eofzero::suite
