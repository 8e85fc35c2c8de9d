// Which block devices a mount sits on, decided by device numbers the kernel
// gives, never by a path: the mount table's device number is the block
// device itself for ext4 and xfs, but an anonymous 0:N for btrfs, whose
// driver asks the mounted filesystem (FsDriver::DevicesOfMount). Everything
// that decides whether a mount is this run's, or whether anyone in any mount
// namespace has a device mounted, reads a mount through here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "os/error.h"
#include "os/mount.h"

namespace eofzero::fsdriver {

struct MountDevices {
  std::vector<std::uint64_t> devices;  // the block devices under it (makedev)
  std::string uuid;                    // the filesystem's UUID, when the mount says it
  std::uint64_t root_dev = 0;          // the device number its root reports (st_dev)
};

// A mount whose table entry's device number is its block device (ext4, xfs,
// and every type without a driver: tmpfs's 0:N is no block device).
MountDevices TableDeviceOf(const os::MountEntry& m);

// The devices under `m` as its filesystem's driver reads them; `reach` is a
// path to its root from this process (its target in our mount namespace,
// /proc/PID/root/TARGET in another). An error when the driver cannot tell
// (then nobody may assume the mount is not on a device).
os::Result<MountDevices> DevicesOfMount(const os::MountEntry& m, const std::string& reach);

// Pure: whether the mount sits on `devno` (a use of the device).
bool SitsOn(const MountDevices& d, std::uint64_t devno);
// Pure: whether it is the filesystem a run made on `devno` alone, with
// `uuid` when the mount says its UUID.
bool IsOurs(const MountDevices& d, std::uint64_t devno, const std::string& uuid);
// "device 7:0", "devices 7:0, 7:1", for messages.
std::string DevicesText(const MountDevices& d);

}  // namespace eofzero::fsdriver
