#include "fsdriver/ext4.h"

#include <algorithm>

#include "fsdriver/ext4_features.h"
#include "fsdriver/fsck_text.h"
#include "fsdriver/units.h"

namespace eofzero::fsdriver {

std::uint64_t Ext4Driver::DefaultImageBytes() const { return 256ull << 20; }

std::uint64_t Ext4Driver::MinImageBytes(std::uint32_t block_size) const {
  // mke2fs itself works from ~104 KiB (1k blocks) or ~224 KiB (4k blocks), but
  // makes no journal under 2048 blocks (e2fsprogs lib/ext2fs/mkjournal.c,
  // ext2fs_default_journal_size: "if (num_blocks < 2048) return -1";
  // measured: 2047 blocks no journal, 2048 a journal, at 1k and 4k), and an
  // ext4 without a journal makes every case a SKIP.
  return 2048ull * block_size;
}

std::string Ext4Driver::MinImageText(std::uint32_t block_size) const {
  return "mkfs.ext4 needs " + SizeText(MinImageBytes(block_size)) + " with " +
         std::to_string(block_size) + "-byte blocks (2048 blocks, for a journal)";
}

std::uint64_t Ext4Driver::MaxFileBytes(std::uint32_t block_size) const {
  // ext4 with extents: ee_block is 32 bits, so (2^32 - 1) blocks
  // (fs/ext4/super.c, ext4_max_size; huge_file is on in mke2fs.conf's ext4
  // defaults). Measured: 17592186040320 works and one byte more is EFBIG at
  // 4k; 4398046510080 at 1k. A user's "-O ^huge_file" lowers it: EFBIG at run
  // time, an ERROR.
  return ((1ull << 32) - 1) * block_size;
}

// getopt string of mke2fs 1.47.
std::string_view Ext4Driver::MkfsLetters() const {
  return "b:C:d:e:E:g:G:i:I:J:l:L:m:M:N:o:O:r:t:T:U:z:cjnqvDFKSV";
}

std::span<const RefusedMkfsOption> Ext4Driver::RefusedMkfsOptions() const {
  static constexpr RefusedMkfsOption kRefused[] = {
      {'d', nullptr, "names a directory or tarball to copy in"},
      {'l', nullptr, "names a bad-blocks file"},
      {'z', nullptr, "names an undo file to write"},
      {'J', "device", "names an external journal device"},
      {'E', "offset", "writes the filesystem at an offset of the device"},
      {'E', "android_sparse", "writes a sparse image file instead"},
  };
  return kRefused;
}

std::expected<std::uint32_t, std::string> Ext4Driver::BlockSizeOption(
    std::string_view value, const std::string& shown) const {
  return CheckedBlockSize(ParseBlockSizeValue(value), shown);
}

// mkfs.ext4 -F -q -b BS -U UUID -E nodiscard
std::vector<std::string> Ext4Driver::MkfsCommand(std::optional<std::uint32_t> block_size,
                                                 const std::string& uuid) const {
  std::vector<std::string> argv = {"mkfs.ext4", "-F", "-q"};
  if (block_size) argv.insert(argv.end(), {"-b", std::to_string(*block_size)});
  argv.insert(argv.end(), {"-U", uuid, "-E", "nodiscard"});
  return argv;
}

bool Ext4Driver::IsUuidOption(const std::vector<std::string>& words, std::size_t i) const {
  return i + 1 < words.size() && words[i] == "-U";
}

std::vector<std::string> Ext4Driver::JournalCheckArgv(const std::string& device) const {
  return {"dumpe2fs", "-h", device};
}

std::expected<std::string, std::string> Ext4Driver::NoCrashPromise(
    const os::ProcessResult& run) const {
  auto features = run.ok() ? ParseExt4Features(run.out) : std::nullopt;
  if (!features) return std::unexpected("cannot read ext4 features: " + run.Describe());
  if (std::find(features->begin(), features->end(), "has_journal") == features->end())
    return std::string(
        "ext4 without has_journal promises no crash consistency (fstests: "
        "_require_metadata_journaling)");
  return std::string();
}

// e2fsck reads a device or an image alike.
std::vector<std::string> Ext4Driver::FsckArgv(const std::string& source, FsckSource) const {
  return {"e2fsck", "-fn", source};
}

// Exit codes of e2fsck -fn: 0 clean, 1/2 fixed (cannot happen with -n), 4
// errors left uncorrected, 8 operational error, higher: usage/cancel/library.
// An unreplayed journal is not a finding: e2fsck skips the replay in
// no-modify mode, reports the counts the replay would have fixed, and even
// exits 0. Mount and unmount to replay, then check again.
FsckClass Ext4Driver::ClassifyFsck(const os::ProcessResult& run) const {
  const std::string code = "e2fsck " + run.Ending();
  if (MentionsAny(run, {" is mounted", "contains a mounted"}))
    return {FsckVerdict::kToolError, "e2fsck ran on a mounted filesystem"};
  if (run.exit_code < 0) return {FsckVerdict::kToolError, code};  // killed
  const bool replay = MentionsAny(
      run, {"skipping journal recovery", "needs_recovery flag is clear", "recovery flag is clear"});
  // With -n, e2fsck aborts (8) after errors it may not fix; 4 is still set.
  if (run.exit_code < 16 && (run.exit_code & 4) && !replay)
    return {FsckVerdict::kCorrupt, code + ": filesystem has errors"};
  if (run.exit_code >= 8) return {FsckVerdict::kToolError, code + " (operational error)"};
  if (replay) return {FsckVerdict::kNeedsJournalReplay, code + " without replaying the journal"};
  if (run.exit_code == 0) return {FsckVerdict::kClean, code};
  // 1/2 ("fixed") cannot happen with -n; treat any other code as errors left.
  return {FsckVerdict::kCorrupt, code + ": filesystem has errors"};
}

os::Result<OfflineBlock> Ext4Driver::ReadOffline(os::System& system, const std::string& source,
                                                 const std::string& path_in_fs, std::uint64_t,
                                                 std::uint64_t block_index) const {
  EOFZERO_ASSIGN_OR_RETURN(auto v, system.ReadExt4Offline(source, path_in_fs, block_index));
  OfflineBlock out;
  out.reader = "libext2fs";
  out.size = v.size;
  out.block_size = v.block_size;
  if (!v.hole && !v.inline_data) out.offset = v.PhysicalByteOffset();
  out.how = v.inline_data ? "inline data" : v.hole ? "hole" : v.unwritten ? "unwritten" : "";
  out.extent_bytes = v.block_size;
  out.bytes = std::move(v.bytes);
  return out;
}

// `debugfs -c -R stats`: the superblock and every group descriptor, read in
// catastrophic mode because dumpe2fs stops before the descriptors when a
// bitmap's checksum does not match.
std::vector<std::string> Ext4Driver::MetadataDumpArgv(const std::string& source) const {
  return {"debugfs", "-c", "-R", "stats", source};
}

// The block after the superblock's (group 0's descriptors):
// bg_free_blocks_count_lo (le16, byte 12 of descriptor 0), its low byte.
CacheFaultTarget Ext4Driver::CacheFault(std::uint32_t block_size) const {
  return {std::uint64_t{block_size} * (1024 / block_size + 1), 12};
}

}  // namespace eofzero::fsdriver
