// What a no-modify fsck run says about a filesystem after a crash (pure).
//
// Exit codes: e2fsck -fn: 0 clean, 1/2 fixed (cannot happen with -n), 4 errors
// left uncorrected, 8 operational error, higher: usage/cancel/library.
// xfs_repair -n: 0 clean, 1 corruption found *or* a fatal error (mounted,
// cannot open), 2 dirty log (older xfsprogs; 6.1 exits 1 with an ALERT).
//
// An unreplayed journal is not a finding: both tools skip the replay in
// no-modify mode and then report counts the replay would have fixed
// (e2fsck even exits 0). Mount and unmount to replay, then check again.
#pragma once

#include <string>

#include "os/error.h"
#include "os/fsck_run.h"
#include "os/process.h"

namespace eofzero::oracles {

enum class FsckVerdict {
  kClean,
  kCorrupt,             // a finding: the full output is the evidence
  kNeedsJournalReplay,  // not a finding: replay the log and check again
  kToolMissing,         // skip
  kToolError,           // the check itself failed (mounted, cannot open, ...)
};

const char* FsckVerdictName(FsckVerdict v);

struct FsckResult {
  os::FsckTool tool = os::FsckTool::kE2fsck;
  FsckVerdict verdict = FsckVerdict::kToolError;
  std::string reason;     // one line: why this verdict
  os::ProcessResult run;  // argv, exit code, stdout, stderr (empty when not run)
};

// Classifies a finished run.
FsckResult ClassifyFsck(os::FsckTool tool, const os::ProcessResult& run);

// For a run that could not happen: kUnsupported -> kToolMissing, else kToolError.
FsckResult FsckNotRun(os::FsckTool tool, const os::Error& error);

}  // namespace eofzero::oracles
