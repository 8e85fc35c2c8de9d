// Runs a filesystem checker in no-modify mode on an unmounted device:
// `e2fsck -fn DEV` (ext4) or `xfs_repair -n DEV` (xfs). Nothing is written to
// the device. Judging the outcome is oracles/fsck_result.h's job.
#pragma once

#include <string>
#include <vector>

#include "os/error.h"
#include "os/process.h"
#include "os/system.h"

namespace eofzero::os {

enum class FsckTool { kE2fsck, kXfsRepair };

// "e2fsck" / "xfs_repair".
const char* FsckProgram(FsckTool tool);

// What the checker reads: a block device, or a filesystem image in a regular
// file (xfs_repair needs -f for that; e2fsck takes either).
enum class FsckSource { kDevice, kImageFile };

// The argv the checker runs with.
std::vector<std::string> FsckArgv(FsckTool tool, const std::string& device,
                                  FsckSource source = FsckSource::kDevice);

// Any exit code is a ProcessResult. Errors: kUnsupported when the program is
// not in PATH (a skip, with the reason), kSystem when it could not be started.
Result<ProcessResult> RunFsckNoModify(System& system, FsckTool tool, const std::string& device,
                                      FsckSource source = FsckSource::kDevice);

}  // namespace eofzero::os
