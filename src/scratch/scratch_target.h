// A scratch device the user gave (--scratch-dev/--scratch-mnt, or fstests'
// SCRATCH_DEV/SCRATCH_MNT), and the rules for using it: the device is a block
// device that is mounted nowhere (nor is any of its partitions), backs no loop
// device and has no holder (device-mapper, md) in sysfs, and the mount
// directory exists and is not itself a mount point. A device that passes is
// mkfs'd by the run; nothing else ever is.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "os/error.h"
#include "os/mount.h"

namespace eofzero::scratch {

struct ScratchTarget {
  std::string device;     // "/dev/vdb"
  std::string mount_dir;  // "/mnt/scratch"
  // Where each came from, to name it in errors: the flag or the variable.
  std::string device_from = "--scratch-dev";
  std::string mount_dir_from = "--scratch-mnt";
};

// Pure: the entries of `table` mounted from one of `devnos`, as
// "SOURCE on TARGET".
std::vector<std::string> MountsOfDevices(const std::vector<os::MountEntry>& table,
                                         const std::vector<std::uint64_t>& devnos);
// Pure: whether `dir` (canonical) is the target of an entry of `table`.
bool IsMountTarget(const std::vector<os::MountEntry>& table, const std::string& dir);

// Applies the rules through the mount table and sysfs; touches nothing. The
// error is one line naming the flag or variable: kInvalid for a path that is
// not a block device or not a directory, kSafety for a device in use or a
// directory that is a mount point.
os::Status CheckScratchTarget(const ScratchTarget& target);

}  // namespace eofzero::scratch
