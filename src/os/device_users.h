// Facts about who uses block devices, each read from the kernel by device
// number (major:minor, as makedev) rather than by a path, because a path can
// lie: a loop device set up through a device node that was later removed
// shows "NAME (deleted)" as its backing file, and a device node can have any
// name. Judging those facts against one device is scratch/scratch_target.h's
// job; nothing here decides.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "os/error.h"
#include "os/mount.h"

namespace eofzero::os {

// A block device and its relatives in sysfs: its partitions, and the whole
// disk when it is itself a partition.
struct DeviceFamily {
  std::uint64_t devno = 0;
  std::vector<std::uint64_t> partitions;
  std::optional<std::uint64_t> whole_disk;
};
// kInvalid when `path` is not a block device.
Result<DeviceFamily> FamilyOf(const std::string& path);

// One configured loop device and what backs it (LOOP_GET_STATUS64).
struct LoopBacking {
  std::string name;             // "loop3"
  std::uint64_t devno = 0;      // the loop device's own number
  std::uint64_t file_dev = 0;   // st_dev of the backing file: the filesystem it lives on
  std::uint64_t file_ino = 0;   // its inode
  std::uint64_t file_rdev = 0;  // st_rdev when the backing file is a device node, else 0
  std::string file_name;        // as sysfs shows it (may end in " (deleted)"); for messages
};
// Every configured loop device. A loop device whose backing cannot be read
// (its node missing from /dev, or not the device sysfs names) is an error
// (kSafety): nobody can then say what it is backed by.
Result<std::vector<LoopBacking>> ListLoopBackings();

// Detaches `loop` if the device of that name and number is still backed by
// the same file (file_dev, file_ino): true when it detached it, false when it
// is gone or backed by something else now (left alone). For releasing what a
// killed run attached, identified by what it recorded.
Result<bool> DetachLoopIfStillBacking(const LoopBacking& loop);

// The devices holding `devno` in sysfs (device-mapper, md, bcache): "dm-0".
std::vector<std::string> HoldersOf(std::uint64_t devno);

// One active swap area (/proc/swaps) and the device numbers its path leads
// to now: st_rdev for a swap partition, st_dev for a swap file. Both are 0
// when the path no longer resolves (the area still claims its block device
// exclusively, so an O_EXCL open still refuses it).
struct SwapArea {
  std::string path;
  std::uint64_t rdev = 0;
  std::uint64_t dev = 0;
};
Result<std::vector<SwapArea>> ListSwapAreas();

// The mounts of one mount namespace, as one of its processes sees them.
struct NamespaceMounts {
  pid_t pid = 0;         // a process inside it (the lowest pid found)
  std::string comm;      // that process's name, for messages
  std::uint64_t ns = 0;  // the namespace's inode (/proc/PID/ns/mnt)
  std::vector<MountEntry> mounts;
};
// Every mount namespace on the machine that has a process in it, each read
// once from /proc/PID/mountinfo. Processes that end while this runs are
// skipped. (A namespace kept alive with no process — a bind mount of an nsfs
// file — cannot be read this way; its block device mounts still claim their
// devices exclusively, which an O_EXCL open sees.)
Result<std::vector<NamespaceMounts>> ReadEveryMountNamespace();

}  // namespace eofzero::os
