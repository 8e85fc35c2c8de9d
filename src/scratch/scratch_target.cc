#include "scratch/scratch_target.h"

#include <algorithm>
#include <filesystem>

#include "os/block_device.h"

namespace eofzero::scratch {

using os::ErrorKind;
using os::Fail;

std::vector<std::string> MountsOfDevices(const std::vector<os::MountEntry>& table,
                                         const std::vector<std::uint64_t>& devnos) {
  std::vector<std::string> out;
  for (const auto& m : table)
    if (std::find(devnos.begin(), devnos.end(), m.devno) != devnos.end())
      out.push_back(m.source + " on " + m.target);
  return out;
}

bool IsMountTarget(const std::vector<os::MountEntry>& table, const std::string& dir) {
  return std::any_of(table.begin(), table.end(),
                     [&](const os::MountEntry& m) { return m.target == dir; });
}

os::Status CheckScratchTarget(const ScratchTarget& target) {
  const std::string dev = target.device_from + ": " + target.device;
  const std::string mnt = target.mount_dir_from + ": " + target.mount_dir;
  if (target.device.empty()) return Fail(ErrorKind::kInvalid, target.device_from + ": empty");
  if (target.mount_dir.empty()) return Fail(ErrorKind::kInvalid, target.mount_dir_from + ": empty");
  auto devnos = os::DeviceNumbersOf(target.device);
  if (!devnos) {
    if (devnos.error().kind == ErrorKind::kInvalid)
      return Fail(ErrorKind::kInvalid, dev + " is not a block device");
    if (devnos.error().errnum == ENOENT) return Fail(ErrorKind::kInvalid, dev + " does not exist");
    return Fail(ErrorKind::kInvalid, dev + ": " + devnos.error().Message());
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(target.mount_dir, ec))
    return Fail(ErrorKind::kInvalid, mnt + " is not an existing directory");
  const auto dir = std::filesystem::canonical(target.mount_dir, ec);
  if (ec) return Fail(ErrorKind::kInvalid, mnt + ": " + ec.message());

  EOFZERO_ASSIGN_OR_RETURN(auto table, os::ReadMountTable());
  if (auto mounts = MountsOfDevices(table, *devnos); !mounts.empty())
    return Fail(ErrorKind::kSafety,
                dev + " is mounted (" + mounts.front() + "); refusing to mkfs it");
  EOFZERO_ASSIGN_OR_RETURN(auto users, os::DeviceUsers(target.device));
  if (!users.empty())
    return Fail(ErrorKind::kSafety,
                dev + " is in use (" + users.front() + "); refusing to mkfs it");
  if (IsMountTarget(table, dir.string()))
    return Fail(ErrorKind::kSafety, mnt + " is a mount point; refusing to mount over it");
  return {};
}

}  // namespace eofzero::scratch
