// A mounted btrfs filesystem as the kernel describes it through a descriptor
// of its mount. Its mount table entry shows an anonymous device number
// (0:N), not its block devices: which devices it sits on is asked of the
// filesystem (BTRFS_IOC_FS_INFO gives its fsid) and read from sysfs
// (/sys/fs/btrfs/FSID/devices/NAME/dev, each a device number). Only facts:
// fsdriver/btrfs.cc decides what they mean.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "os/error.h"

namespace eofzero::os {

struct BtrfsMountFacts {
  std::uint64_t mount_id = 0;         // statx(STATX_MNT_ID) of the opened root
  std::uint64_t root_dev = 0;         // st_dev of the opened root (its subvolume's)
  std::string fsid;                   // "0f1e...-..." (lower case, as libuuid writes it)
  std::vector<std::uint64_t> devices; // every member device's number (makedev)
};

// Opens `path` (the mount's root: its target in our mount namespace, or
// /proc/PID/root/TARGET in another) without following a symlink, and reads
// its facts. kSafety when the opened directory is not the mount `mount_id`
// (something else is mounted there now, or the path led elsewhere);
// kUnsupported when it is not btrfs (the ioctl is ENOTTY).
Result<BtrfsMountFacts> ReadBtrfsMount(const std::string& path, std::uint64_t mount_id);

}  // namespace eofzero::os
