// The two views of the disk after recovery, compared (pure). The kernel's
// view (the block device read through its page cache: what the next mount
// uses) and the disk's (what reached the backing store) must say the same:
// the same fsck verdict and output, the same offline reading of the EOF
// block, the same metadata counters. When they do not, the block device's
// cache disagrees with the disk after recovery: a finding of its own kind,
// never a pass (DESIGN.md, "Two views of the disk").
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/observations.h"
#include "oracles/fsck_result.h"

namespace eofzero::oracles {

// The finding's name, as the summary and the evidence say it.
inline constexpr std::string_view kCacheDisagrees =
    "the block device's cache disagrees with the disk after recovery";

struct DiskViewsDisagreement {
  std::string kernel_source, kernel_how;  // "/dev/loop0", "the block device read through ..."
  std::string disk_source, disk_how;
  // One line per fact that differs, e.g. "e2fsck: corrupt through the
  // block device's cache, clean on the disk".
  std::vector<std::string> differences;
  // Each view's fsck, classified (tool missing when it did not run).
  FsckResult kernel_fsck, disk_fsck;
  std::string metadata_tool;               // "debugfs" / "xfs_db"
  std::vector<std::string> metadata_diff;  // DifferingLines of its outputs

  // Whether the disk itself is corrupt too (not only the cache's version).
  bool DiskCorrupt() const { return disk_fsck.verdict == FsckVerdict::kCorrupt; }
};

// nullopt when the views agree, or when there is no disk view to compare.
std::optional<DiskViewsDisagreement> CompareDiskViews(const engine::DiskViews& views);

// The lines that differ between two texts: "- line" (only in `kernel`),
// "+ line" (only in `disk`). Before each run of changes comes, once, the
// closest earlier line that `is_header` accepts (debugfs's " Group  3: block
// bitmap at ..."), unchanged, as context; a header that changed is its own.
std::vector<std::string> DifferingLines(std::string_view kernel, std::string_view disk,
                                        const std::function<bool(std::string_view)>& is_header);

}  // namespace eofzero::oracles
