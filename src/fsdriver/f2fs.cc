#include "fsdriver/f2fs.h"

#include <linux/f2fs.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>

#include "fsdriver/f2fs_dump.h"
#include "fsdriver/fsck_text.h"
#include "fsdriver/units.h"

namespace eofzero::fsdriver {

// f2fs's shutdown ioctl is FS_IOC_SHUTDOWN (the same number), and its first
// three modes are the three os::ShutdownFlag sends: FULLSYNC freezes the
// device (writing everything back) before going down, METASYNC writes a
// checkpoint (the metadata, not the files' dirty data) before going down,
// NOSYNC goes down at once.
static_assert(F2FS_IOC_SHUTDOWN == _IOR('X', 125, __u32));  // os/shutdown.cc's number
static_assert(F2FS_GOING_DOWN_FULLSYNC == static_cast<std::uint32_t>(os::ShutdownFlag::kDefault));
static_assert(F2FS_GOING_DOWN_METASYNC == static_cast<std::uint32_t>(os::ShutdownFlag::kLogFlush));
static_assert(F2FS_GOING_DOWN_NOSYNC == static_cast<std::uint32_t>(os::ShutdownFlag::kNoLogFlush));

// The guests' scratch disk is 640 MiB.
std::uint64_t F2fsDriver::DefaultImageBytes() const { return 256ull << 20; }

// mkfs.f2fs 1.15 refuses 50 MiB ("Error: Device size is not sufficient for
// F2FS volume") and makes 51 MiB (measured, 4k blocks).
std::uint64_t F2fsDriver::MinImageBytes(std::uint32_t) const { return 51ull << 20; }

std::string F2fsDriver::MinImageText(std::uint32_t block_size) const {
  return "mkfs.f2fs needs " + SizeText(MinImageBytes(block_size));
}

// fs/f2fs/super.c, max_file_blocks(NULL) << 12 (6.12): two direct, two
// indirect and one double-indirect node's worth of 1018-address blocks,
// 1057052516 blocks. (6.1 also counts the inode's own 923 addresses: a
// little more, never less.)
std::uint64_t F2fsDriver::MaxFileBytes(std::uint32_t) const {
  constexpr std::uint64_t kPerBlock = 1018;
  return (2 * kPerBlock + 2 * kPerBlock * kPerBlock + kPerBlock * kPerBlock * kPerBlock) *
         kF2fsBlockSize;
}

// mkfs.f2fs 1.15's getopt string.
std::string_view F2fsDriver::MkfsLetters() const { return "qa:c:C:d:e:E:g:hil:mo:O:rR:s:S:z:t:T:U:Vfw:"; }

std::span<const RefusedMkfsOption> F2fsDriver::RefusedMkfsOptions() const {
  static constexpr RefusedMkfsOption kRefused[] = {
      {'c', nullptr, "names more devices to make the filesystem over"},
      {'S', nullptr, "makes a sparse image file instead"},
  };
  return kRefused;
}

std::expected<std::uint32_t, std::string> F2fsDriver::BlockSizeOption(std::string_view,
                                                                      const std::string& shown) const {
  return std::unexpected("'" + shown + "': mkfs.f2fs has no block-size option");
}

// F2FS_BLKSIZE: f2fs's block is 4 KiB.
std::string F2fsDriver::BlockSizeRefused(std::uint32_t block_size) const {
  if (block_size == kF2fsBlockSize) return {};
  return "f2fs blocks are 4096 bytes (F2FS_BLKSIZE); mkfs.f2fs makes no " +
         std::to_string(block_size) + "-byte ones";
}

// mkfs.f2fs -f -q -U UUID -t 0 (no discard: a user's scratch device keeps
// its bytes until they are written).
std::vector<std::string> F2fsDriver::MkfsCommand(std::optional<std::uint32_t>,
                                                 const std::string& uuid) const {
  return {"mkfs.f2fs", "-f", "-q", "-U", uuid, "-t", "0"};
}

bool F2fsDriver::IsUuidOption(const std::vector<std::string>& words, std::size_t i) const {
  return i + 1 < words.size() && words[i] == "-U";
}

// noinline_data: a file's first bytes live in its own block, not inside the
// inode, so that there is a block past EOF to plant in (a case's file of a
// few hundred bytes would otherwise be inline data, which the plant refuses).
std::string_view F2fsDriver::OwnMountOptions() const { return "noinline_data"; }

// --dry-run: never writes (measured: the image's checksum is unchanged after
// a run that found corruption). It reads a device or an image alike.
std::vector<std::string> F2fsDriver::FsckArgv(const std::string& source, FsckSource) const {
  return {"fsck.f2fs", "--dry-run", source};
}

// fsck.f2fs 1.15: exit 0 with every "[FSCK] ..." line "[Ok..]" when clean;
// "[ASSERT]" lines and "[Fail]" results when not (exit 255 when its question
// whether to restore lost files finds no answer on stdin). It exits 255 too
// when there is no f2fs ("Can't find a valid F2FS superblock") and stops on
// a mounted device ("Error: Not available on mounted device!").
FsckClass F2fsDriver::ClassifyFsck(const os::ProcessResult& run) const {
  const std::string code = "fsck.f2fs " + run.Ending();
  if (Mentions(run, "Not available on mounted device"))
    return {FsckVerdict::kToolError, "fsck.f2fs ran on a mounted filesystem"};
  if (run.exit_code < 0) return {FsckVerdict::kToolError, code};  // killed
  if (MentionsAny(run, {"[ASSERT]", "[Fail]"})) return {FsckVerdict::kCorrupt, code + ": corruption found"};
  // A primary superblock that is not valid: fsck.f2fs says so, checks with
  // the backup and exits 0 (measured: bytes 1024-2047 zeroed, every check
  // "[Ok..]"). Only where it went on: with neither, it exits 255.
  if (run.exit_code == 0 && Mentions(run, "[FSCK] ") &&
      Mentions(run, "Can't find a valid F2FS superblock at 0x0"))
    return {FsckVerdict::kCorrupt,
            code + ": the primary superblock is not valid (checked with the backup)"};
  if (run.exit_code == 0 && Mentions(run, "[FSCK] ")) return {FsckVerdict::kClean, code};
  return {FsckVerdict::kToolError, code + " (could not check)"};
}

// Measured in a 6.12 guest: after a case on an image's loop device,
// dump.f2fs read through the device's cache found the file's inode free,
// while the image itself (what reached the disk) held it.
std::string F2fsDriver::KernelWritesAroundTheDeviceCache() const {
  return "f2fs writes its checkpoint, NAT and node blocks through its own mappings, around the "
         "block device's cache, so a block cached there can be older than the disk's (only the "
         "superblock is read through it at mount)";
}

// dump.f2fs -i INO prints the inode: its size and the block addresses it
// holds itself. A later block (through a node block) is refused, with why.
// On a block device it reads the disk: the device's cache is dropped first
// (KernelWritesAroundTheDeviceCache); an image file is read as it is.
os::Result<OfflineBlock> F2fsDriver::ReadOffline(os::System& system, const std::string& source,
                                                 const std::string&, std::uint64_t inode,
                                                 std::uint64_t block_index) const {
  if (auto dropped = system.DropDeviceCache(source); !dropped && dropped.error().errnum != ENOTTY)
    return std::unexpected(dropped.error());
  char hex[32];
  std::snprintf(hex, sizeof hex, "0x%" PRIx64, inode);  // -i takes hexadecimal
  auto run = system.Run({"dump.f2fs", "-i", hex, source});
  if (!run && run.error().kind == os::ErrorKind::kUnsupported)
    return os::Fail(os::ErrorKind::kUnsupported,
                    "dump.f2fs not found in PATH (install f2fs-tools): cannot read " + source +
                        " offline");
  if (!run) return std::unexpected(run.error());
  // Its exit status is 255 whenever it printed a file: it then asks whether
  // to copy the file out, and stdin (/dev/null) gives no answer.
  // Killed, or no node read at all (no f2fs there, cannot open it): its own words.
  if (run->exit_code < 0 || run->out.find("Node ID [") == std::string::npos)
    return os::Fail(os::ErrorKind::kChild, run->Describe());
  EOFZERO_ASSIGN_OR_RETURN(F2fsInode node, ParseF2fsInode(run->out, inode));
  EOFZERO_ASSIGN_OR_RETURN(F2fsBlock block, F2fsBlockOf(node, block_index));
  OfflineBlock out;
  out.reader = "dump.f2fs";
  out.size = node.size;
  out.block_size = kF2fsBlockSize;
  out.how = block.how;
  if (block.address) {
    out.offset = std::uint64_t{*block.address} * kF2fsBlockSize;
    out.extent_bytes = block.run * kF2fsBlockSize;
  }
  return out;
}

// The superblock and the current checkpoint: block, node and inode counts,
// free segments, the current segments and the checkpoint's flags.
std::vector<std::string> F2fsDriver::MetadataDumpArgv(const std::string& source) const {
  return {"dump.f2fs", "-d", "1", source};
}

std::string F2fsDriver::MetadataDumpKept(std::string out) const { return F2fsMetadataLines(out); }

// The primary superblock (at byte 1024 of block 0): the first byte of
// `version`, the kernel that last wrote it (byte 1668 of the superblock),
// which dump.f2fs prints and which no check refuses (the superblock has no
// checksum unless mkfs was given -O sb_checksum).
CacheFaultTarget F2fsDriver::CacheFault(std::uint32_t) const { return {0, 1024 + 1668}; }

}  // namespace eofzero::fsdriver
