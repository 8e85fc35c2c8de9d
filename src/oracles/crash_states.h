// Judging a case's crash states (run --record --crash-states): the history
// each state is held to, the verdict of each state, and one verdict for
// all of them. Pure; the states are checked by suite/crash_state_check.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/history.h"
#include "engine/observations.h"
#include "oracles/verdict.h"

namespace eofzero::oracles {

// The promises of a crash state. `promise_barriers[i]` is, for history
// event i, how many barriers the log holds by the end of the step that made
// it (scratch::BarriersBy), or 0 for an event that is not a promise. The
// history of state K (at barrier K, plus any of epoch K's writes) is the
// case's up to its crash, less each promise whose barrier is past K: the
// flush that made it durable is not in the state, so it promises nothing
// there. Everything else stays: a write that may or may not have reached
// the state is allowed either way by the model.
// `kept`, when given, gets the index in the result of each event of
// `history` (up to the crash) that stays, or of the next one that does.
engine::History HistoryOfState(const engine::History& history, std::size_t events_to_crash,
                               const std::vector<std::uint64_t>& promise_barriers,
                               std::uint64_t barrier, std::vector<std::size_t>* kept = nullptr);

// One state as it was checked.
struct CheckedState {
  std::string address;             // "24:0,2" (scratch/log_replay.h)
  std::vector<std::string> steps;  // the steps that issued its epoch's writes
  Outcome outcome = Outcome::kError;
  std::string summary;
  double seconds = 0;  // all of it; of which:
  double serve_seconds = 0;    // laying it out, its FUSE server and loop device
  double check_seconds = 0;    // the case's steps after the crash: mount, oracles, fsck
  double release_seconds = 0;  // unmount, detach, the server's end
  // Of a FAIL or ERROR only (a pass keeps none): what the state's checks saw.
  std::optional<engine::CaseRun> run;
  std::optional<Verdict> verdict;
};

// A case's crash states, as checked, and the one verdict for them.
struct CrashStates {
  std::string case_name;
  std::string case_file;
  std::string log;            // the write log they come from
  std::string not_checked;    // why there are none (no crash, the case skipped, ...): a SKIP
  // Why they were not checked because the case itself did not run to its end
  // (an interrupt, an ERROR): an ERROR that did not run (report's not_run).
  std::string not_run;
  std::string error;          // why none could be checked (a cut or damaged log, ...): an ERROR
  std::uint64_t first_barrier = 0, last_barrier = 0;
  std::size_t window_changes = 0;  // block writes, discards and zero-ranges in the window
  std::size_t planned = 0;         // states planned (addresses)
  std::size_t identical = 0;       // ... that were another state's image: checked once
  std::vector<CheckedState> states;  // every state checked, in order
  double seconds = 0;
  std::string interrupted;  // a signal stopped the checks: how far they got
  // The positive control (--inject-fault bad-logged-write): the log record
  // changed to carry the sentinel into the gap, or why none could be.
  std::string planted_bad_write;
  Outcome outcome = Outcome::kError;
  std::string summary;
};

// The verdict of a state from its checks: Judge's, except that a state the
// filesystem refused to mount as corrupt (EUCLEAN, EIO, EBADMSG from mount)
// is a FAIL: every state is one a power cut can leave on a device with a
// volatile cache.
void JudgeState(CheckedState& state, const engine::CaseRun& run, int mount_errno);

// The case's verdict over its states: FAIL if any state failed, else ERROR
// if any could not be checked, else PASS (SKIP: nothing to check). The
// summary counts them and names the first failing state.
void JudgeCrashStates(CrashStates& states);

// The command that rebuilds a state as an image: "eofzero log replay LOG
// --state ADDRESS --image state.img".
std::string ReplayCommand(const std::string& log, const std::string& address);

// The median time per state checked, in seconds (0 without any).
double MedianSeconds(const CrashStates& states);

}  // namespace eofzero::oracles
