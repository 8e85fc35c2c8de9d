// Checking a case's crash states (run --record --crash-states): after a
// configuration's cases have run and its write log is complete, each case
// that planted and crashed has the states scratch/crash_states.h plans. Each
// distinct state is served as layers (scratch/state_image.h) by a FUSE
// server of its own, attached to a loop device, and the case's steps after
// its crash run on it (engine::RunCrashState): the remount replays the
// journal, `check gap` reads through every oracle and fscks both views,
// and the crash model judges it against the promises the state holds
// (oracles/crash_states.h). Then it is unmounted and released. Needs root.
#pragma once

#include <optional>

#include <cstdint>
#include <filesystem>
#include <string>

#include "engine/case_spec.h"
#include "engine/observations.h"
#include "engine/scenario.h"
#include "oracles/crash_states.h"
#include "scratch/crash_states.h"
#include "scratch/run_registry.h"
#include "scratch/scratch_fs.h"
#include "suite/interrupts.h"

namespace eofzero::suite {

struct CrashStatesOptions {
  bool enabled = false;  // --crash-states
  scratch::StatePlanOptions plan;
  // The positive control (--inject-fault bad-logged-write): a logged write
  // of the window is changed to carry the sentinel into the gap.
  bool bad_logged_write = false;
  // Check this one state of the plan alone, on a server of its own, instead
  // of the plan's series (a test's way to run each state by itself; it must
  // give the state the verdict the series gives it).
  std::optional<scratch::StateAddress> only;
};

// Where the states of one configuration are served, as it was recorded.
struct StateSource {
  const scratch::ParsedLog* log = nullptr;  // the configuration's, complete
  std::string log_path;
  scratch::ScratchSpec spec;  // the recorded filesystem's
  std::string uuid;
  std::uint32_t block_size = 0;
  std::filesystem::path dir;  // where the state's mounts go (the run's folder)
  scratch::RunLease* lease = nullptr;
};

oracles::CrashStates CheckCrashStates(const StateSource& source, const engine::CaseSpec& spec,
                                      const engine::ScenarioOptions& scenario,
                                      const engine::CaseRun& run,
                                      const CrashStatesOptions& options,
                                      const InterruptPoll& interrupt);

}  // namespace eofzero::suite
