#include "fsdriver/btrfs.h"

#include "fsdriver/btrfs_tree.h"
#include "fsdriver/fsck_text.h"
#include "fsdriver/units.h"

namespace eofzero::fsdriver {
namespace {

// `btrfs inspect-internal dump-tree -t TREE SOURCE`, read-only.
os::Result<os::ProcessResult> DumpTree(os::System& system, const std::string& source,
                                       const std::string& tree) {
  auto run = system.Run({"btrfs", "inspect-internal", "dump-tree", "-t", tree, source});
  if (!run && run.error().kind == os::ErrorKind::kUnsupported)
    return os::Fail(os::ErrorKind::kUnsupported,
                    "btrfs not found in PATH (install btrfs-progs): cannot read " + source +
                        " offline");
  if (!run) return run;
  if (!run->ok()) return os::Fail(os::ErrorKind::kChild, run->Describe());
  return run;
}

os::Result<std::vector<BtrfsChunk>> Chunks(os::System& system, const std::string& source) {
  EOFZERO_ASSIGN_OR_RETURN(auto run, DumpTree(system, source, "chunk"));
  return ParseBtrfsChunks(run.out);
}

}  // namespace

std::uint64_t BtrfsDriver::DefaultImageBytes() const { return 512ull << 20; }

// mkfs.btrfs 6.2 refuses a device under 114 MiB with its default profiles
// ("device is too small to make filesystem, must be at least 114294784").
std::uint64_t BtrfsDriver::MinImageBytes(std::uint32_t) const { return 114294784; }

std::string BtrfsDriver::MinImageText(std::uint32_t block_size) const {
  return "mkfs.btrfs needs " + SizeText(MinImageBytes(block_size));
}

// s_maxbytes is MAX_LFS_FILESIZE (fs/btrfs/super.c).
std::uint64_t BtrfsDriver::MaxFileBytes(std::uint32_t) const { return INT64_MAX; }

// mkfs.btrfs 6.2's short options.
std::string_view BtrfsDriver::MkfsLetters() const { return "A:b:d:l:m:n:s:r:L:O:R:U:fqvVMK"; }

std::span<const RefusedMkfsOption> BtrfsDriver::RefusedMkfsOptions() const {
  static constexpr RefusedMkfsOption kRefused[] = {
      {'r', nullptr, "copies a directory of the host in"},
      {'A', nullptr, "names an alloc-start offset of the device"},
  };
  return kRefused;
}

std::expected<std::uint32_t, std::string> BtrfsDriver::BlockSizeOption(
    std::string_view value, const std::string& shown) const {
  return CheckedBlockSize(ParseBlockSizeValue(value), shown);
}

// mkfs.btrfs 6.2: "invalid sectorsize 1024, expected range is [4K, 64K]".
std::string BtrfsDriver::BlockSizeRefused(std::uint32_t block_size) const {
  if (block_size >= 4096) return {};
  return "mkfs.btrfs makes no " + std::to_string(block_size) +
         "-byte sectors (its range is 4K to 64K)";
}

// mkfs.btrfs -f -q -d single -s BS -U UUID: one data copy, so that a block
// FIEMAP maps is the only copy of its bytes.
std::vector<std::string> BtrfsDriver::MkfsCommand(std::optional<std::uint32_t> block_size,
                                                  const std::string& uuid) const {
  std::vector<std::string> argv = {"mkfs.btrfs", "-f", "-q", "-d", "single"};
  if (block_size) argv.insert(argv.end(), {"-s", std::to_string(*block_size)});
  argv.insert(argv.end(), {"-U", uuid});
  return argv;
}

bool BtrfsDriver::IsUuidOption(const std::vector<std::string>& words, std::size_t i) const {
  return i + 1 < words.size() && words[i] == "-U";
}

// A btrfs mount's table entry shows an anonymous device number (0:N, the
// superblock's; its root's st_dev is another, its subvolume's): the member
// devices are the filesystem's, read through a descriptor of the mount's
// root whose mount id is the entry's.
os::Result<MountDevices> BtrfsDriver::DevicesOfMount(const os::MountEntry& m,
                                                     const std::string& reach) const {
  EOFZERO_ASSIGN_OR_RETURN(auto facts, os::ReadBtrfsMount(reach, m.id));
  return BtrfsMountDevices(m, facts);
}

os::Result<MountDevices> BtrfsMountDevices(const os::MountEntry& m, const os::BtrfsMountFacts& facts) {
  if (facts.mount_id != m.id)
    return os::Fail(os::ErrorKind::kSafety, "the btrfs facts are mount " +
                                                std::to_string(facts.mount_id) + "'s, not mount " +
                                                std::to_string(m.id) + "'s (" + m.target + ")");
  return MountDevices{facts.devices, facts.fsid, facts.root_dev};
}

// `btrfs check --readonly` reads a device or an image alike.
std::vector<std::string> BtrfsDriver::FsckArgv(const std::string& source, FsckSource) const {
  return {"btrfs", "check", "--readonly", source};
}

// btrfs check 6.2: exit 0 and "no error found" when clean; 1 for a damaged
// filesystem ("errors found", or a tree block whose checksum does not match,
// then "cannot open file system"); 1 too when it cannot check (mounted, no
// btrfs there, no such file).
FsckClass BtrfsDriver::ClassifyFsck(const os::ProcessResult& run) const {
  const std::string code = "btrfs check " + run.Ending();
  if (Mentions(run, "is currently mounted"))
    return {FsckVerdict::kToolError, "btrfs check ran on a mounted filesystem"};
  if (run.exit_code < 0) return {FsckVerdict::kToolError, code};  // killed
  if (run.exit_code == 0 && Mentions(run, "no error found") && !Mentions(run, "errors found"))
    return {FsckVerdict::kClean, code};
  if (MentionsAny(run, {"checksum verify failed", "Csum didn't match", "errors found"}))
    return {FsckVerdict::kCorrupt, code + ": errors found"};
  if (MentionsAny(run, {"No valid Btrfs found", "No such file", "Usage:"}) || run.exit_code == 0)
    return {FsckVerdict::kToolError, code + " (could not check)"};
  return {FsckVerdict::kCorrupt, code + ": errors found"};
}

// The inode's size and file extents from the fs tree, the block's logical
// address through the chunk tree. The caller reads the bytes.
os::Result<OfflineBlock> BtrfsDriver::ReadOffline(os::System& system, const std::string& source,
                                                  const std::string&, std::uint64_t inode,
                                                  std::uint64_t block_index) const {
  EOFZERO_ASSIGN_OR_RETURN(auto super, system.Run({"btrfs", "inspect-internal", "dump-super",
                                                   source}));
  std::uint32_t block_size = 0;
  for (std::size_t at = super.out.find("sectorsize"); at != std::string::npos;) {
    block_size = static_cast<std::uint32_t>(std::stoul(super.out.substr(at + 10)));
    break;
  }
  if (!block_size)
    return os::Fail(os::ErrorKind::kChild, "btrfs dump-super gives no sectorsize: " +
                                               super.Describe());
  EOFZERO_ASSIGN_OR_RETURN(auto fs_tree, DumpTree(system, source, "5"));
  EOFZERO_ASSIGN_OR_RETURN(auto node, ParseBtrfsInode(fs_tree.out, inode));
  OfflineBlock out;
  out.reader = "btrfs dump-tree";
  out.size = node.size;
  out.block_size = block_size;
  const std::uint64_t at = block_index * block_size;
  auto e = FindBtrfsExtent(node, at);
  if (!e || (e->type != "inline" && e->disk_bytenr == 0)) {
    out.how = "hole";
    return out;
  }
  if (e->type == "inline") {
    out.how = "inline data";
    return out;
  }
  if (e->compression != 0)
    return os::Fail(os::ErrorKind::kUnsupported,
                    "btrfs offline read: the EOF block's extent is compressed");
  if (e->type == "prealloc") out.how = "unwritten";
  EOFZERO_ASSIGN_OR_RETURN(auto chunks, Chunks(system, source));
  EOFZERO_ASSIGN_OR_RETURN(auto mapped,
                           MapBtrfsLogical(chunks, e->disk_bytenr + e->offset + (at - e->file_offset)));
  out.offset = mapped.first;
  out.extent_bytes = std::min(mapped.second, e->file_offset + e->length - at);
  return out;
}

// Every superblock copy (the primary at 64 KiB, the mirrors at 64 MiB and
// 256 GiB when the device holds them): generation, roots, bytes used, and
// whether each copy's checksum matches.
std::vector<std::string> BtrfsDriver::MetadataDumpArgv(const std::string& source) const {
  return {"btrfs", "inspect-internal", "dump-super", "-a", source};
}

// FIEMAP's "physical" on btrfs is a logical address: mapped through the
// on-disk chunk tree (read from the device; a chunk allocated since the
// last commit is not there yet, and is refused).
os::Result<os::Extent> BtrfsDriver::DeviceExtent(os::System& system, const std::string& device,
                                                 const os::Extent& extent) const {
  EOFZERO_ASSIGN_OR_RETURN(auto chunks, Chunks(system, device));
  EOFZERO_ASSIGN_OR_RETURN(auto mapped, MapBtrfsLogical(chunks, extent.physical));
  os::Extent out = extent;
  out.physical = mapped.first;
  out.length = std::min(extent.length, mapped.second);
  return out;
}

// The first superblock mirror at 64 MiB: bytes_used (le64 at byte 0x78),
// its low byte. Its checksum then no longer matches, which `dump-super -a`
// says; the tools read the primary copy and go on working (a change to the
// primary would make dump-tree refuse the device: "superblock checksum
// mismatch", measured). Images are at least 114 MiB, so the mirror exists.
CacheFaultTarget BtrfsDriver::CacheFault(std::uint32_t) const { return {64ull << 20, 0x78}; }

}  // namespace eofzero::fsdriver
