// A scratch device the user gave (--scratch-dev/--scratch-mnt, or fstests'
// SCRATCH_DEV/SCRATCH_MNT), and the rules for using it. The device must be a
// block device that nobody else uses — each user found by device number,
// never by a path: not mounted (nor any of its partitions) in any mount
// namespace, backing no loop device (directly, through a device node that may
// since have been removed, or through a file on a filesystem it holds), held
// by nothing in sysfs (device-mapper, md), not active swap, and free for an
// exclusive open — and large enough for what the run will make on it. The
// mount directory must exist and not be a mount point. A device that passes
// is mkfs'd by the run; nothing else ever is.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "fsdriver/mount_identity.h"
#include "os/device_users.h"
#include "os/error.h"
#include "os/mount.h"
#include "scratch/run_registry.h"

namespace eofzero::scratch {

struct ScratchTarget {
  std::string device;     // "/dev/vdb"
  std::string mount_dir;  // "/mnt/scratch"
  // Where each came from, to name it in errors: the flag or the variable.
  std::string device_from = "--scratch-dev";
  std::string mount_dir_from = "--scratch-mnt";
  // The least the device must hold for the run's filesystems (0: no limit).
  std::uint64_t min_bytes = 0;
  std::string min_bytes_why;  // "mkfs.xfs needs 300M"
};

// What the machine says about who uses block devices, read once.
struct DeviceUseFacts {
  std::uint64_t own_namespace = 0;  // this process's mount namespace
  std::vector<os::NamespaceMounts> namespaces;
  // What each mount (by its id) sits on, as its driver reads it
  // (fsdriver::DevicesOfMount), or why that cannot be read. A mount in
  // neither map sits on its table's device number.
  std::map<std::uint64_t, fsdriver::MountDevices> mount_devices;
  std::map<std::uint64_t, std::string> unreadable_mounts;
  std::vector<os::LoopBacking> loops;
  std::vector<os::SwapArea> swaps;
  std::map<std::uint64_t, std::vector<std::string>> holders;  // devno -> "dm-0", ...
  std::vector<RunEntry> live_runs;  // other eofzero runs' registry entries
};
// Reads the facts about `family` (holders of it and its partitions).
os::Result<DeviceUseFacts> ReadDeviceUseFacts(const os::DeviceFamily& family);
// Fills facts.mount_devices and facts.unreadable_mounts: each mount's
// driver reads what it sits on, through /proc/PID/root/TARGET for a mount
// of another namespace. Mounts whose table device number is their block
// device need no read (TableDeviceOf).
void ReadMountDevices(DeviceUseFacts& facts);

// Pure: where the device, one of its partitions or (for a partition) its
// whole disk is mounted, in any namespace: "/dev/loop1 on /mnt/a b", with
// " in the mount namespace of pid N (comm)" for a namespace other than ours;
// and every mount whose devices could not be read ("... (which devices it
// sits on cannot be read: WHY)"): it may be on the device.
std::vector<std::string> MountsOf(const os::DeviceFamily& family, const DeviceUseFacts& facts);
// Pure: every other user, one phrase each: "/dev/loop2 is backed by it",
// "dm-0 holds it", "it is active swap", "eofzero run 412 uses it" (a live
// run's device, or the loop device over a live run's image, even while that
// run has it unmounted for a moment).
std::vector<std::string> OtherUsersOf(const os::DeviceFamily& family, const DeviceUseFacts& facts);
// Pure: why an exclusive open of the device may have failed (EBUSY), the
// mounts first, then the other users, joined by "; "; empty when nobody shows.
std::string BusyBecause(const os::DeviceFamily& family, const DeviceUseFacts& facts);
// The same, read now for `device` (a raw access refused with EBUSY); empty
// when the facts cannot be read or name nobody.
std::string BusyBecause(const std::string& device);
// Pure: whether `dir` (canonical) is the target of a mount in our namespace.
bool IsMountTarget(const DeviceUseFacts& facts, const std::string& dir);

// Applies the rules; touches nothing. The error is one line naming the flag
// or variable: kInvalid for a path that is not a block device or not a
// directory, or a device too small; kSafety for a device in use or a
// directory that is a mount point.
os::Status CheckScratchTarget(const ScratchTarget& target);

}  // namespace eofzero::scratch
