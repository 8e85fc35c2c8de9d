// What a no-modify fsck run says about a filesystem after a crash (pure):
// the filesystem's driver reads its fsck's exit code and output
// (fsdriver/driver.h, ClassifyFsck); this keeps the run with its verdict.
//
// An unreplayed journal is not a finding: the tools skip the replay in
// no-modify mode and then report counts the replay would have fixed (e2fsck
// even exits 0). Mount and unmount to replay, then check again.
#pragma once

#include <string>

#include "fsdriver/registry.h"
#include "os/error.h"
#include "os/process.h"

namespace eofzero::oracles {

using fsdriver::FsckVerdict;

const char* FsckVerdictName(FsckVerdict v);

struct FsckResult {
  fsdriver::FsType fs = fsdriver::kInitialFsType;  // whose fsck (its driver names the program)
  FsckVerdict verdict = FsckVerdict::kToolError;
  std::string reason;     // one line: why this verdict
  os::ProcessResult run;  // argv, exit code, stdout, stderr (empty when not run)
};

// Classifies a finished run of `fs`'s fsck.
FsckResult ClassifyFsck(fsdriver::FsType fs, const os::ProcessResult& run);

// For a run that could not happen: kUnsupported -> kToolMissing, else kToolError.
FsckResult FsckNotRun(fsdriver::FsType fs, const os::Error& error);

// "e2fsck", "xfs_repair": the program `fs`'s fsck runs.
std::string FsckProgramOf(fsdriver::FsType fs);

}  // namespace eofzero::oracles
