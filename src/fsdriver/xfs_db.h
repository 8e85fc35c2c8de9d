// Runs xfs_db read-only (`xfs_db -r -c CMD ... DEVICE`) from an argv vector.
// xfs_db reads the device as it is on disk: on a mounted filesystem it sees
// stale metadata, so callers run it on an unmounted one.
#pragma once

#include <string>
#include <vector>

#include "os/error.h"
#include "os/process.h"
#include "os/system.h"

namespace eofzero::fsdriver {

// The argv: {"xfs_db", "-r", "-c", commands[0], ..., device}.
std::vector<std::string> XfsDbArgv(const std::string& device,
                                   const std::vector<std::string>& commands);

// Returns the run when xfs_db exits 0 (it also exits 0 after complaining
// about a bad request on stdout: the parser must notice). Errors:
// kUnsupported when xfs_db is not in PATH (a skip, with the reason);
// kChild when it exits non-zero; kSystem when it cannot be started.
os::Result<os::ProcessResult> RunXfsDbReadOnly(os::System& system, const std::string& device,
                                       const std::vector<std::string>& commands);

}  // namespace eofzero::fsdriver
