#include "fsdriver/xfs.h"

#include "fsdriver/fsck_text.h"
#include "fsdriver/units.h"
#include "fsdriver/xfs_db.h"
#include "fsdriver/xfs_offline.h"

namespace eofzero::fsdriver {

std::uint64_t XfsDriver::DefaultImageBytes() const { return 512ull << 20; }

std::uint64_t XfsDriver::MinImageBytes(std::uint32_t) const {
  // mkfs.xfs (xfsprogs >= 5.19) refuses a data section under 300 MiB at any
  // block size: "Filesystem must be larger than 300MB." (measured: 299M
  // fails, 300M works, for 1k, 4k and 64k blocks).
  return 300ull << 20;
}

std::string XfsDriver::MinImageText(std::uint32_t block_size) const {
  return "mkfs.xfs needs " + SizeText(MinImageBytes(block_size));
}

std::uint64_t XfsDriver::MaxFileBytes(std::uint32_t) const {
  // xfs: s_maxbytes is MAX_LFS_FILESIZE, 2^63 - 1 on 64-bit (xfs_super.c);
  // measured: ftruncate to 2^63 - 1 works at 1k and 4k blocks.
  return INT64_MAX;
}

// getopt string of mkfs.xfs 6.x.
std::string_view XfsDriver::MkfsLetters() const { return "b:c:d:i:l:L:m:n:p:r:s:fKNqV"; }

std::span<const RefusedMkfsOption> XfsDriver::RefusedMkfsOptions() const {
  static constexpr RefusedMkfsOption kRefused[] = {
      {'c', nullptr, "names a configuration file"},
      {'p', nullptr, "names a prototype file"},
      {'d', "name", "names the data device or file"},
      {'d', "file", "makes the data section a regular file"},
      {'l', "logdev", "names an external log device"},
      {'l', "name", "names an external log device"},
      {'l', "file", "makes the log a regular file"},
      {'r', "rtdev", "names a realtime device"},
      {'r', "name", "names a realtime device"},
      {'r', "file", "makes the realtime section a regular file"},
  };
  return kRefused;
}

// The value of "-b size=N" (mkfs.xfs of xfsprogs 6 no longer takes "log=").
std::expected<std::uint32_t, std::string> XfsDriver::BlockSizeOption(
    std::string_view subopts, const std::string& shown) const {
  std::optional<std::uint32_t> found;
  while (!subopts.empty()) {
    auto comma = subopts.find(',');
    std::string_view one = subopts.substr(0, comma);
    subopts = comma == std::string_view::npos ? "" : subopts.substr(comma + 1);
    if (!one.starts_with("size="))
      return std::unexpected("'" + shown + "': unknown -b suboption (size=N)");
    auto bs = CheckedBlockSize(ParseBlockSizeValue(one.substr(5)), shown);
    if (!bs) return bs;
    found = *bs;
  }
  if (!found) return std::unexpected("'" + shown + "' sets no block size");
  return *found;
}

// mkfs.xfs -f -q -K -b size=BS -m uuid=UUID
std::vector<std::string> XfsDriver::MkfsCommand(std::optional<std::uint32_t> block_size,
                                                const std::string& uuid) const {
  std::vector<std::string> argv = {"mkfs.xfs", "-f", "-q", "-K"};
  if (block_size) argv.insert(argv.end(), {"-b", "size=" + std::to_string(*block_size)});
  argv.insert(argv.end(), {"-m", "uuid=" + uuid});
  return argv;
}

bool XfsDriver::IsUuidOption(const std::vector<std::string>& words, std::size_t i) const {
  return i + 1 < words.size() && words[i] == "-m" && words[i + 1].starts_with("uuid=");
}

// xfs_repair needs -f for an image in a regular file.
std::vector<std::string> XfsDriver::FsckArgv(const std::string& source, FsckSource kind) const {
  if (kind == FsckSource::kImageFile) return {"xfs_repair", "-n", "-f", source};
  return {"xfs_repair", "-n", source};
}

// xfs_repair -n: 0 clean, 1 corruption found *or* a fatal error (mounted,
// cannot open), 2 dirty log (older xfsprogs; 6.1 exits 1 with an ALERT).
// Right after a shutdown the log is dirty: not a finding.
FsckClass XfsDriver::ClassifyFsck(const os::ProcessResult& run) const {
  const std::string code = "xfs_repair " + run.Ending();
  if (MentionsAny(run, {" is mounted", "contains a mounted"}))
    return {FsckVerdict::kToolError, "xfs_repair ran on a mounted filesystem"};
  if (run.exit_code < 0) return {FsckVerdict::kToolError, code};  // killed
  if (MentionsAny(run, {"valuable metadata changes in a log", "log which needs to be replayed"}) ||
      run.exit_code == 2)
    return {FsckVerdict::kNeedsJournalReplay, code + ": the log needs replaying"};
  if (run.exit_code == 0) return {FsckVerdict::kClean, code};
  if (run.exit_code == 1 && !Mentions(run, "fatal error"))
    return {FsckVerdict::kCorrupt, code + ": corruption found"};
  return {FsckVerdict::kToolError, code + " (could not check)"};
}

os::Result<OfflineBlock> XfsDriver::ReadOffline(os::System& system, const std::string& source,
                                                const std::string&, std::uint64_t inode,
                                                std::uint64_t block_index) const {
  EOFZERO_ASSIGN_OR_RETURN(auto v, LocateXfsBlockOffline(system, source, inode, block_index));
  OfflineBlock out;
  out.reader = "xfs_db";
  out.size = v.size;
  out.block_size = v.block_size;
  out.offset = v.byte_offset;
  out.how = !v.byte_offset ? "hole" : v.unwritten ? "unwritten" : "";
  if (v.extent)
    out.extent_bytes = (v.extent->file_block + v.extent->count - block_index) * v.block_size;
  return out;
}

// The counters a crash can leave different between the views: the
// superblock's summary counters, and AG 0's free space and inode counters.
std::vector<std::string> XfsDriver::MetadataDumpArgv(const std::string& source) const {
  return XfsDbArgv(source, {"sb 0", "print agcount dblocks icount ifree fdblocks", "agf 0",
                            "print seqno freeblks longest flcount btreeblks", "agi 0",
                            "print seqno count freecount"});
}

// Block 0, the superblock: sb_fdblocks (be64 at byte 144), its low byte.
CacheFaultTarget XfsDriver::CacheFault(std::uint32_t) const { return {0, 151}; }

}  // namespace eofzero::fsdriver
