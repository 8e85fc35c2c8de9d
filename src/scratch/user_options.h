// The mkfs and mount options a user hands the tool (--mkfs-options,
// --mount-options, fstests' MKFS_OPTIONS/MOUNT_OPTIONS, a matrix file), read
// the way mkfs and mount will read them, and refused when they would make
// mkfs or mount touch anything but the scratch device: an option that names a
// file or a device (an external log or realtime device, a data file, a
// prototype or config file, an undo file), a device offset, a loop device set
// up by libmount, or a stray word mkfs would take as its device. Pure.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fsdriver/registry.h"

namespace eofzero::scratch {

// One option as mkfs's getopt sees it: "-b 4096", "-bsize=4k", "-qF" is two.
struct MkfsOption {
  char letter = 0;
  std::optional<std::string> value;
  std::string shown;  // as the user wrote it, for messages
};

// Splits `options` for mkfs.ext4 (mke2fs) or mkfs.xfs. The error (one line,
// without the option string's name) names the word mkfs would not take as
// an option: an unknown letter, a missing value, a word that is no option.
std::expected<std::vector<MkfsOption>, std::string> ParseMkfsOptions(fsdriver::FsType fs,
                                                                     std::string_view options);

// ParseMkfsOptions, then the safety rules above.
std::expected<void, std::string> CheckMkfsOptions(fsdriver::FsType fs, std::string_view options);

// Mount options (comma separated, as libmount reads them): refuses those that
// name a device or file (logdev=, rtdev=, journal_path=, journal_dev=, quota
// files), libmount's loop options (loop, offset=, sizelimit=, encryption=) and
// its userspace X-/x- options.
std::expected<void, std::string> CheckMountOptions(std::string_view options);

}  // namespace eofzero::scratch
