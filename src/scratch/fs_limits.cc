#include "scratch/fs_limits.h"

namespace eofzero::scratch {

std::uint64_t DefaultImageBytes(FsType fs) {
  return fs == FsType::kXfs ? (512ull << 20) : (256ull << 20);
}

std::uint64_t MinImageBytes(FsType fs, std::uint32_t block_size) {
  // mkfs.xfs (xfsprogs >= 5.19) refuses a data section under 300 MiB at any
  // block size: "Filesystem must be larger than 300MB." (measured: 299M
  // fails, 300M works, for 1k, 4k and 64k blocks).
  if (fs == FsType::kXfs) return 300ull << 20;
  // mke2fs itself works from ~104 KiB (1k blocks) or ~224 KiB (4k blocks), but
  // makes no journal under 2048 blocks (e2fsprogs lib/ext2fs/mkjournal.c,
  // ext2fs_default_journal_size: "if (num_blocks < 2048) return -1";
  // measured: 2047 blocks no journal, 2048 a journal, at 1k and 4k), and an
  // ext4 without a journal makes every case a SKIP.
  return 2048ull * block_size;
}

std::string MinImageText(FsType fs, std::uint32_t block_size) {
  const std::string needs =
      "mkfs." + std::string(FsTypeName(fs)) + " needs " + SizeText(MinImageBytes(fs, block_size));
  if (fs == FsType::kXfs) return needs;
  return needs + " with " + std::to_string(block_size) +
         "-byte blocks (2048 blocks, for a journal)";
}

std::uint64_t MaxFileBytes(FsType fs, std::uint32_t block_size) {
  // xfs: s_maxbytes is MAX_LFS_FILESIZE, 2^63 - 1 on 64-bit (xfs_super.c);
  // measured: ftruncate to 2^63 - 1 works at 1k and 4k blocks.
  if (fs == FsType::kXfs) return INT64_MAX;
  // ext4 with extents: ee_block is 32 bits, so (2^32 - 1) blocks
  // (fs/ext4/super.c, ext4_max_size; huge_file is on in mke2fs.conf's ext4
  // defaults). Measured: 17592186040320 works and one byte more is EFBIG at
  // 4k; 4398046510080 at 1k. A user's "-O ^huge_file" lowers it: EFBIG at run
  // time, an ERROR.
  return ((1ull << 32) - 1) * block_size;
}

std::uint64_t CaseAllocationBudget(std::uint64_t image_bytes) { return image_bytes / 3; }

std::string SizeText(std::uint64_t bytes) {
  if (bytes && bytes % (1ull << 30) == 0) return std::to_string(bytes >> 30) + "G";
  if (bytes && bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + "M";
  if (bytes && bytes % (1ull << 10) == 0) return std::to_string(bytes >> 10) + "K";
  return std::to_string(bytes);
}

}  // namespace eofzero::scratch
