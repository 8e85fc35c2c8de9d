// The interpreter of case steps (engine/case_spec.h) on one scratch
// filesystem. Each case runs in its own files (case_NAME and case_NAME.OTHER)
// with one descriptor per open mode kept open from step to step, as xfs_io
// keeps its file open: closing could trigger flushes that hide the bug being
// hunted. Nothing maps or O_DIRECT-reads the file between the extension and
// the crash unless a step says so (FIEMAP_FLAG_SYNC, O_DIRECT reads and
// fadvise all write back the zeroed page).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/case_spec.h"
#include "engine/observations.h"
#include "engine/faults.h"
#include "os/shutdown.h"
#include "scratch/scratch_fs.h"

namespace eofzero::engine {

struct ScenarioOptions {
  std::uint32_t gap_bytes = 16;  // {gap} for cases that do not set their own
  // Also read the gap with O_DIRECT before the crash. Off by default: the
  // O_DIRECT read writes back the dirty EOF page first and so changes what
  // reaches the disk.
  bool direct_read_before_crash = false;
  // Overrides every shutdown step's flag when set (--shutdown).
  std::optional<os::ShutdownFlag> shutdown_flag;
  // Wrapped around the filesystem's System for each case, in this order
  // (engine/faults.h): the tool's own tests.
  std::vector<Fault> faults;
  // The self-test on a filesystem without FS_IOC_SHUTDOWN: a shutdown step
  // is the clean unmount of the next remount instead (everything written
  // back, as a freezing shutdown would), so that the controls' faults, which
  // act at the first mount after the crash, have a crash to follow. Never
  // for a case's own verdict: that is judged on crash states.
  bool clean_cycle_without_shutdown = false;
};

// Runs one case's steps. Never throws; every outcome is in the
// CaseRun (an exception out of a step, e.g. std::bad_alloc, is an ERROR,
// after its descriptors and mappings are released). On return the filesystem is mounted and alive again if that was
// possible (otherwise the next case's Recover() reports it).
CaseRun RunCase(scratch::ScratchFs& fs, const CaseSpec& spec, const ScenarioOptions& options);

// The name of a case's main file in the filesystem's root; its other files
// are NAME.FILE.
std::string CaseFileBase(const std::string& case_name);

// Removes the case's files from the mounted filesystem once it has been
// judged, so that a long series of cases on one mkfs (an exploration) does
// not fill it.
os::Status RemoveCaseFiles(const scratch::ScratchFs& fs, const CaseSpec& spec);

// A crash state's checks (suite/crash_state_check.h): `fs` holds a state of
// the case's write log, unmounted; `from` is where the case resumes (its
// plant, crash point and the history the state is held to). Runs the case's
// steps after the crash on it (Interpreter::RunAfterCrash), as a new run
// that starts from `from` and nothing else.
struct StateRun {
  CaseRun run;
  int mount_errno = 0;  // mount(2)'s error when the state did not mount
};
StateRun RunCrashState(scratch::ScratchFs& fs, const CaseSpec& spec,
                       const ScenarioOptions& options, const ResumeState& from);

}  // namespace eofzero::engine
