// fstests' environment -> run options (pure). `eofzero run --fstests` reads
// FSTYP, SCRATCH_DEV, SCRATCH_MNT, MKFS_OPTIONS and MOUNT_OPTIONS; a flag
// given on the command line wins over its variable, which is then not read.
// Errors are one line and name the variable.
#pragma once

#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "fsdriver/registry.h"

namespace eofzero::cli {

// Looks a variable up; nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment.
EnvLookup ProcessEnv();

// The settings the command line gave explicitly.
struct GivenFlags {
  bool fs = false;
  bool scratch_dev = false;
  bool scratch_mnt = false;
  bool mkfs_options = false;
  bool mount_options = false;
};

// What the environment says, for the settings the command line left open
// (nullopt for the others).
struct FstestsEnv {
  std::optional<fsdriver::FsType> fs;         // FSTYP
  std::optional<std::string> scratch_dev;    // SCRATCH_DEV
  std::optional<std::string> scratch_mnt;    // SCRATCH_MNT
  std::optional<std::string> mkfs_options;   // MKFS_OPTIONS, as given
  std::optional<std::string> mount_options;  // MOUNT_OPTIONS, as libmount options
};

// FSTYP, SCRATCH_DEV and SCRATCH_MNT must be set (unless given as flags);
// FSTYP must be ext4 or xfs; MOUNT_OPTIONS must be "-o" words; external log
// or realtime devices (USE_EXTERNAL=yes with SCRATCH_LOGDEV/SCRATCH_RTDEV)
// cannot be honoured.
std::expected<FstestsEnv, std::string> ReadFstestsEnv(const EnvLookup& env,
                                                      const GivenFlags& given);

// fstests writes MOUNT_OPTIONS as mount(8) arguments ("-o noatime,inode64
// -odiscard"); this returns the options for libmount ("noatime,inode64,
// discard"). Any word that is not "-o OPTS" or "-oOPTS" is an error (the
// message does not name the variable).
std::expected<std::string, std::string> MountOptionsFromFstests(std::string_view words);

}  // namespace eofzero::cli
