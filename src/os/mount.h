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
  std::uint64_t devno = 0;  // the device number st_dev reports for it (makedev)
  std::string source;       // "/dev/loop3"
  std::string target;       // "/mnt/scratch", unescaped
  std::string fstype;
};

// A mount table (/proc/self/mountinfo, or another process's
// /proc/PID/mountinfo), parsed by libmount.
Result<std::vector<MountEntry>> ReadMountTable(
    const std::string& mountinfo = "/proc/self/mountinfo");

// The mount a path lookup of `target` finds in this mount namespace (the
// last one mounted there), or nullopt when nothing is mounted there.
Result<std::optional<MountEntry>> TopMountAt(const std::string& target);

// Unmounts `target` only when what a lookup finds there is the filesystem
// with UUID `uuid` on device `devno` (a filesystem eofzero made): kUnmounted;
// kNotMounted when nothing is mounted there; kNotOurs when something else is
// (left alone). For releasing what a killed run recorded.
enum class UnmountOutcome { kUnmounted, kNotMounted, kNotOurs };
Result<UnmountOutcome> UnmountIfOurs(const std::string& target, std::uint64_t devno,
                                     const std::string& uuid);

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
