#include "cli/validate.h"
#include "fsdriver/registry.h"
#include "scratch/fs_limits.h"
#include "scratch/mkfs_command.h"
#include "scratch/user_options.h"

namespace eofzero::cli {

std::expected<void, std::string> ValidateScratchTarget(const RawOptions& raw,
                                                       suite::RunOptions& o) {
  // An empty value given on purpose is its own mistake, not a missing partner.
  if (raw.given.scratch_dev && raw.scratch_dev.empty())
    return std::unexpected("--scratch-dev: empty (give the block device)");
  if (raw.given.scratch_mnt && raw.scratch_mnt.empty())
    return std::unexpected("--scratch-mnt: empty (give the directory)");
  if (!raw.scratch_dev.empty() || !raw.scratch_mnt.empty()) {
    if (raw.scratch_mnt.empty())
      return std::unexpected(raw.scratch_dev_from +
                             ": needs --scratch-mnt (or SCRATCH_MNT with --fstests)");
    if (raw.scratch_dev.empty())
      return std::unexpected(raw.scratch_mnt_from +
                             ": needs --scratch-dev (or SCRATCH_DEV with --fstests)");
    if (!raw.image_size.empty())
      return std::unexpected("--image-size: does not apply to a scratch device");
    if (raw.keep)
      return std::unexpected(
          "--keep: does not apply to a scratch device (it keeps the last filesystem anyway)");
    o.scratch_target.emplace();
    o.scratch_target->device = raw.scratch_dev;
    o.scratch_target->mount_dir = raw.scratch_mnt;
    o.scratch_target->device_from = raw.scratch_dev_from;
    o.scratch_target->mount_dir_from = raw.scratch_mnt_from;
    for (auto fs : o.filesystems) {
      const std::uint64_t need = fsdriver::Driver(fs).MinImageBytes(o.block_size);
      if (need <= o.scratch_target->min_bytes) continue;
      o.scratch_target->min_bytes = need;
      o.scratch_target->min_bytes_why = fsdriver::Driver(fs).MinImageText(o.block_size);
    }
  }
  o.mkfs_options_from = raw.mkfs_options_from;
  if (auto ok = scratch::CheckMountOptions(raw.mount_options); !ok)
    return std::unexpected(raw.mount_options_from + ": " + ok.error());
  for (auto fs : o.filesystems) {
    if (auto ok = scratch::CheckMkfsOptions(fs, raw.mkfs_options); !ok)
      return std::unexpected(raw.mkfs_options_from + ": " + ok.error());
    auto bs = scratch::MkfsBlockSize(fs, raw.mkfs_options);
    if (!bs) return std::unexpected(raw.mkfs_options_from + ": " + bs.error());
    if (!*bs) continue;
    if (o.mkfs_block_size && *o.mkfs_block_size != **bs)
      return std::unexpected(raw.mkfs_options_from + ": sets different block sizes per filesystem");
    o.mkfs_block_size = **bs;
  }
  if (o.mkfs_block_size && raw.block_size_given && *o.mkfs_block_size != o.block_size)
    return std::unexpected("--block-size: " + raw.block_size + " conflicts with " +
                           raw.mkfs_options_from + ", which sets block size " +
                           std::to_string(*o.mkfs_block_size));
  if (o.mkfs_block_size) o.block_size = *o.mkfs_block_size;
  return {};
}

}  // namespace eofzero::cli
