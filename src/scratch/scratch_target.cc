#include "scratch/scratch_target.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "os/block_device.h"
#include "scratch/reclaim.h"

namespace eofzero::scratch {

using os::ErrorKind;
using os::Fail;

namespace {

bool In(const std::vector<std::uint64_t>& devnos, std::uint64_t devno) {
  return std::find(devnos.begin(), devnos.end(), devno) != devnos.end();
}

// The device and its partitions: what a mount, a holder or a file can sit on.
std::vector<std::uint64_t> DeviceAndPartitions(const os::DeviceFamily& family) {
  std::vector<std::uint64_t> out = {family.devno};
  out.insert(out.end(), family.partitions.begin(), family.partitions.end());
  return out;
}

std::string MiB(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

os::Result<DeviceUseFacts> ReadDeviceUseFacts(const os::DeviceFamily& family) {
  DeviceUseFacts facts;
  struct stat st {};
  if (::stat("/proc/self/ns/mnt", &st) < 0) return os::FailErrno("stat /proc/self/ns/mnt");
  facts.own_namespace = st.st_ino;
  EOFZERO_ASSIGN_OR_RETURN(facts.namespaces, os::ReadEveryMountNamespace());
  ReadMountDevices(facts);
  EOFZERO_ASSIGN_OR_RETURN(facts.loops, os::ListLoopBackings());
  EOFZERO_ASSIGN_OR_RETURN(facts.swaps, os::ListSwapAreas());
  for (std::uint64_t devno : DeviceAndPartitions(family))
    if (auto holders = os::HoldersOf(devno); !holders.empty()) facts.holders[devno] = holders;
  for (auto& run : LiveRuns(RegistryDir()))
    if (run.owner.pid != ::getpid()) facts.live_runs.push_back(std::move(run));
  return facts;
}

void ReadMountDevices(DeviceUseFacts& facts) {
  for (const auto& ns : facts.namespaces)
    for (const auto& m : ns.mounts) {
      if (facts.mount_devices.contains(m.id)) continue;  // a mount shared with another namespace
      const std::string reach = ns.ns == facts.own_namespace
                                    ? m.target
                                    : "/proc/" + std::to_string(ns.pid) + "/root" + m.target;
      auto on = fsdriver::DevicesOfMount(m, reach);
      if (on)
        facts.mount_devices[m.id] = std::move(*on);
      else
        facts.unreadable_mounts[m.id] = on.error().Message();
    }
}

std::vector<std::string> MountsOf(const os::DeviceFamily& family, const DeviceUseFacts& facts) {
  const auto devnos = DeviceAndPartitions(family);
  std::vector<std::string> out;
  for (const auto& ns : facts.namespaces) {
    const std::string where =
        ns.ns == facts.own_namespace
            ? ""
            : " in the mount namespace of pid " + std::to_string(ns.pid) + " (" + ns.comm + ")";
    for (const auto& m : ns.mounts) {
      const std::string what = m.source + " on " + m.target + where;
      if (auto why = facts.unreadable_mounts.find(m.id); why != facts.unreadable_mounts.end()) {
        out.push_back(what + " (which devices it sits on cannot be read: " + why->second + ")");
        continue;
      }
      auto known = facts.mount_devices.find(m.id);
      const fsdriver::MountDevices on =
          known != facts.mount_devices.end() ? known->second : fsdriver::TableDeviceOf(m);
      if (std::any_of(devnos.begin(), devnos.end(),
                      [&](std::uint64_t d) { return fsdriver::SitsOn(on, d); }))
        out.push_back(what);
      if (family.whole_disk && fsdriver::SitsOn(on, *family.whole_disk))
        out.push_back("its whole disk, " + what);
    }
  }
  return out;
}

std::vector<std::string> OtherUsersOf(const os::DeviceFamily& family, const DeviceUseFacts& facts) {
  const auto devnos = DeviceAndPartitions(family);
  // A loop device over the whole disk also covers this partition.
  auto covering = devnos;
  if (family.whole_disk) covering.push_back(*family.whole_disk);
  std::vector<std::string> out;
  for (const auto& [devno, holders] : facts.holders)
    for (const auto& h : holders) out.push_back(h + " holds it");
  for (const auto& loop : facts.loops) {
    if (loop.file_rdev != 0 && In(covering, loop.file_rdev))
      out.push_back("/dev/" + loop.name + " is backed by it (through " + loop.file_name + ")");
    else if (In(devnos, loop.file_dev))
      out.push_back("/dev/" + loop.name + " is backed by a file on it (" + loop.file_name + ")");
  }
  for (const auto& run : facts.live_runs) {
    const std::string who = "eofzero run " + std::to_string(run.owner.pid);
    bool uses = std::any_of(run.devices.begin(), run.devices.end(),
                            [&](std::uint64_t d) { return In(covering, d); });
    for (const auto& m : run.mounts) uses |= In(covering, m.devno);
    for (const auto& loop : facts.loops)
      for (const auto& image : run.images)
        uses |= In(devnos, loop.devno) && loop.file_dev == image.dev && loop.file_ino == image.ino;
    if (uses) out.push_back(who + " uses it");
  }
  for (const auto& swap : facts.swaps) {
    if (swap.rdev != 0 && In(covering, swap.rdev))
      out.push_back("it is active swap (" + swap.path + ")");
    else if (In(devnos, swap.dev))
      out.push_back("it holds the active swap file " + swap.path);
  }
  return out;
}

std::string BusyBecause(const os::DeviceFamily& family, const DeviceUseFacts& facts) {
  std::string out;
  for (const auto& mounts : {MountsOf(family, facts), OtherUsersOf(family, facts)})
    for (const auto& m : mounts) out += (out.empty() ? "" : "; ") + m;
  return out;
}

std::string BusyBecause(const std::string& device) {
  auto family = os::FamilyOf(device);
  if (!family) return "";
  auto facts = ReadDeviceUseFacts(*family);
  return facts ? BusyBecause(*family, *facts) : "";
}

bool IsMountTarget(const DeviceUseFacts& facts, const std::string& dir) {
  for (const auto& ns : facts.namespaces)
    if (ns.ns == facts.own_namespace)
      for (const auto& m : ns.mounts)
        if (m.target == dir) return true;
  return false;
}

os::Status CheckScratchTarget(const ScratchTarget& target) {
  const std::string dev = target.device_from + ": " + target.device;
  const std::string mnt = target.mount_dir_from + ": " + target.mount_dir;
  if (target.device.empty()) return Fail(ErrorKind::kInvalid, target.device_from + ": empty");
  if (target.mount_dir.empty()) return Fail(ErrorKind::kInvalid, target.mount_dir_from + ": empty");
  auto family = os::FamilyOf(target.device);
  if (!family) {
    if (family.error().kind == ErrorKind::kInvalid)
      return Fail(ErrorKind::kInvalid, dev + " is not a block device");
    if (family.error().errnum == ENOENT) return Fail(ErrorKind::kInvalid, dev + " does not exist");
    return Fail(ErrorKind::kInvalid, dev + ": " + family.error().Message());
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(target.mount_dir, ec))
    return Fail(ErrorKind::kInvalid, mnt + " is not an existing directory");
  const auto dir = std::filesystem::canonical(target.mount_dir, ec);
  if (ec) return Fail(ErrorKind::kInvalid, mnt + ": " + ec.message());

  auto facts = ReadDeviceUseFacts(*family);
  if (!facts)
    return Fail(facts.error().kind == ErrorKind::kSafety ? ErrorKind::kSafety : ErrorKind::kSystem,
                dev + ": " + facts.error().Message() + "; refusing to mkfs it");
  if (auto mounts = MountsOf(*family, *facts); !mounts.empty())
    return Fail(ErrorKind::kSafety,
                dev + " is mounted (" + mounts.front() + "); refusing to mkfs it");
  if (auto users = OtherUsersOf(*family, *facts); !users.empty())
    return Fail(ErrorKind::kSafety,
                dev + " is in use (" + users.front() + "); refusing to mkfs it");
  if (IsMountTarget(*facts, dir.string()))
    return Fail(ErrorKind::kSafety, mnt + " is a mount point; refusing to mount over it");
  // What no table shows still claims the device exclusively: swap whose path
  // is gone, a mount in a namespace with no process, a device-mapper table.
  if (auto free = os::CheckNotClaimed(target.device); !free)
    return Fail(free.error().kind == ErrorKind::kSafety ? ErrorKind::kSafety : ErrorKind::kSystem,
                dev + ": " + free.error().Message() + "; refusing to mkfs it");
  EOFZERO_ASSIGN_OR_RETURN(os::BlockGeometry geometry, os::ProbeGeometry(target.device));
  if (geometry.size < target.min_bytes)
    return Fail(ErrorKind::kInvalid,
                dev + " is " + MiB(geometry.size) + "; " + target.min_bytes_why);
  return {};
}

}  // namespace eofzero::scratch
