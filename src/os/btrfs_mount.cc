#include "os/btrfs_mount.h"

#include <fcntl.h>
#include <linux/btrfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <uuid/uuid.h>

#include <filesystem>
#include <fstream>

#include "os/unique_fd.h"

namespace eofzero::os {
namespace {

namespace fs = std::filesystem;

// "7:0\n" -> makedev(7, 0).
std::optional<std::uint64_t> ReadMemberDevFile(const fs::path& file) {
  std::ifstream in(file);
  unsigned maj = 0, min = 0;
  char colon = 0;
  if (!(in >> maj >> colon >> min) || colon != ':') return std::nullopt;
  return static_cast<std::uint64_t>(makedev(maj, min));
}

}  // namespace

Result<BtrfsMountFacts> ReadBtrfsMount(const std::string& path, std::uint64_t mount_id) {
  EOFZERO_ASSIGN_OR_RETURN(
      UniqueFd fd, OpenFile(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  struct statx stx {};
  if (::statx(fd.get(), "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0) return FailErrno("statx " + path);
  if (!(stx.stx_mask & STATX_MNT_ID))
    return Fail(ErrorKind::kUnsupported, "statx " + path + ": no mount id from this kernel");
  if (stx.stx_mnt_id != mount_id)
    return Fail(ErrorKind::kSafety, path + " is mount " + std::to_string(stx.stx_mnt_id) +
                                        " now, not mount " + std::to_string(mount_id));
  BtrfsMountFacts facts;
  facts.mount_id = stx.stx_mnt_id;
  facts.root_dev = makedev(stx.stx_dev_major, stx.stx_dev_minor);
  btrfs_ioctl_fs_info_args info{};
  if (::ioctl(fd.get(), BTRFS_IOC_FS_INFO, &info) < 0) {
    if (errno == ENOTTY) return Fail(ErrorKind::kUnsupported, path + " is not a btrfs mount");
    return FailErrno("BTRFS_IOC_FS_INFO " + path);
  }
  char text[37];
  uuid_unparse_lower(info.fsid, text);
  facts.fsid = text;
  // The folder lives as long as the filesystem, which our descriptor holds.
  const fs::path devices = fs::path("/sys/fs/btrfs") / facts.fsid / "devices";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(devices, ec)) {
    auto devno = ReadMemberDevFile(entry.path() / "dev");
    if (!devno)
      return Fail(ErrorKind::kSystem, "read " + (entry.path() / "dev").string() +
                                          ": not a device number");
    facts.devices.push_back(*devno);
  }
  if (ec) return Fail(ErrorKind::kSystem, "list " + devices.string() + ": " + ec.message());
  if (facts.devices.size() != info.num_devices)
    return Fail(ErrorKind::kSystem, devices.string() + " lists " +
                                        std::to_string(facts.devices.size()) + " devices, " +
                                        path + " says " + std::to_string(info.num_devices));
  return facts;
}

}  // namespace eofzero::os
