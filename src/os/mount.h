// Mount: a filesystem this process mounted (through libmount, which parses
// the option string into flags and data). The destructor unmounts it; it never
// unmounts anything it did not mount.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "os/error.h"

namespace eofzero::os {

// One mounted filesystem of this process's mount namespace.
struct MountEntry {
  // The superblock's device number (makedev): the block device for ext4 and
  // xfs, an anonymous 0:N for btrfs (fsdriver::DevicesOfMount says which
  // block devices such a mount sits on).
  std::uint64_t devno = 0;
  std::string source;       // "/dev/loop3"
  std::string target;       // "/mnt/scratch", unescaped
  std::string fstype;
  std::uint64_t id = 0;  // the mount's id (mountinfo's first field; statx STATX_MNT_ID)
};

// A mount table (/proc/self/mountinfo, or another process's
// /proc/PID/mountinfo), parsed by libmount.
Result<std::vector<MountEntry>> ReadMountTable(
    const std::string& mountinfo = "/proc/self/mountinfo");

// The mount a path lookup of `target` finds in this mount namespace (the
// last one mounted there), or nullopt when nothing is mounted there.
Result<std::optional<MountEntry>> TopMountAt(const std::string& target);

// mount(2) through libmount (helpers and mtab off: a private scratch
// mount), with no owner: RealSystem's Mount. The Mount class owns one.
Status MountFilesystem(const std::string& source, const std::string& target,
                       const std::string& fstype, const std::string& options);
// umount2(2), never following a symlink; with `lazy_if_busy`, MNT_DETACH
// when the plain unmount fails.
Status UnmountFilesystem(const std::string& target, bool lazy_if_busy);

class Mount {
 public:
  static Result<Mount> Create(const std::string& source, const std::string& target,
                              const std::string& fstype, const std::string& options);

  Mount(Mount&& other) noexcept : target_(std::move(other.target_)) { other.target_.clear(); }
  Mount& operator=(Mount&&) = delete;
  ~Mount();

  const std::string& target() const { return target_; }
  // Unmounts now; on failure the object still owns the mount.
  Status Unmount();

 private:
  explicit Mount(std::string target) : target_(std::move(target)) {}
  std::string target_;
};

}  // namespace eofzero::os
