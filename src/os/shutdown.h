// FS_IOC_SHUTDOWN (same number as XFS_IOC_GOINGDOWN): force a filesystem down
// as a crash would, then umount/mount replays the journal.
#pragma once

#include <cstdint>
#include <string>

#include "os/error.h"

namespace eofzero::os {

enum class ShutdownFlag : std::uint32_t {
  kDefault = 0,     // freeze, then shut down: unsynced data is kept
  kLogFlush = 1,    // flush the log, then shut down (fstests' _scratch_shutdown -f)
  kNoLogFlush = 2,  // shut down at once: unsynced data is lost, like a crash
};

const char* ShutdownFlagName(ShutdownFlag flag);
// Every flag, in the order --shutdown lists them (parsed by their names).
inline constexpr ShutdownFlag kShutdownFlags[] = {ShutdownFlag::kLogFlush, ShutdownFlag::kNoLogFlush,
                                                  ShutdownFlag::kDefault};

// Shuts down the filesystem that holds `path` (any file or the mount point).
// EOPNOTSUPP/ENOTTY come back as ErrorKind::kUnsupported.
Status ShutdownFilesystem(const std::string& path, std::uint64_t devno, ShutdownFlag flag);

}  // namespace eofzero::os
