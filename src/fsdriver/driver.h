// Everything eofzero knows about one filesystem, in one place (fstests keeps
// the same knowledge in common/ext4, common/xfs, ... behind one `case
// $FSTYP`): how to make it and what its mkfs may not be told, what it can
// hold, whether it promises crash consistency, its fsck and how to read its
// verdict, the offline reader and metadata dump the two views of the disk
// use, how a FIEMAP address becomes a device offset, how it is crashed, the
// self-test's faults' targets, and what a guest needs to run it.
//
// A driver is pure knowledge plus calls through os::System (the one seam to
// the kernel and to child processes); it sits just above os/ in the flow, so
// every layer that needs a filesystem's facts may include it. Outside
// src/fsdriver/ no code branches on a filesystem's name: it asks the driver
// (fsdriver/registry.h hands them out). docs/filesystems.md describes each.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fsdriver/mount_identity.h"
#include "os/bytes.h"
#include "os/error.h"
#include "os/fiemap.h"
#include "os/process.h"
#include "os/shutdown.h"
#include "os/system.h"

namespace eofzero::fsdriver {

// An mkfs option that reaches beyond the scratch device (refused).
struct RefusedMkfsOption {
  char letter;
  const char* suboption;  // nullptr: the whole option
  const char* why;
};

// What fsck's run says about a filesystem after a crash.
enum class FsckVerdict {
  kClean,
  kCorrupt,             // a finding: the full output is the evidence
  kNeedsJournalReplay,  // not a finding: replay the log and check again
  kToolMissing,         // skip
  kToolError,           // the check itself failed (mounted, cannot open, ...)
};

struct FsckClass {
  FsckVerdict verdict = FsckVerdict::kToolError;
  std::string reason;  // one line: why this verdict
};

// What fsck reads: a block device, or a filesystem image in a regular file.
enum class FsckSource { kDevice, kImageFile };

// One block of a file as the on-disk metadata maps it, read with the
// filesystem unmounted and without the kernel's filesystem code.
struct OfflineBlock {
  std::string reader;                   // "libext2fs", "xfs_db", ...
  std::uint64_t size = 0;               // the file's on-disk size
  std::uint32_t block_size = 0;
  std::optional<std::uint64_t> offset;  // byte offset of the block in the source
  // How the block is mapped when it holds no data of its own: "hole",
  // "unwritten", "inline data"; empty for a written block.
  std::string how;
  // The bytes, when the reader read them itself (libext2fs); otherwise the
  // caller reads block_size bytes at `offset` through its safety checks.
  std::optional<Bytes> bytes;
  std::uint64_t extent_bytes = 0;  // the length of the extent from the block on
};

// The cache-disagreement fault's block: a metadata block whose change the
// metadata dump and fsck see (engine/faults.h, kCacheDisagreesWithDisk).
struct CacheFaultTarget {
  std::uint64_t offset = 0;  // byte offset of the block on the device
  std::size_t byte = 0;      // the byte of it made one lower
};

class FsDriver {
 public:
  virtual ~FsDriver() = default;

  // The name mount(2), blkid and the user use ("ext4"); mkfs is mkfs.NAME.
  virtual std::string_view Name() const = 0;

  // --- Limits (pure; measured, each driver says where each comes from) ---
  // The image a run makes when --image-size is not given.
  virtual std::uint64_t DefaultImageBytes() const = 0;
  // The smallest image the tool makes the filesystem on with blocks of
  // `block_size`, and the sentence that says so ("mkfs.xfs needs 300M").
  virtual std::uint64_t MinImageBytes(std::uint32_t block_size) const = 0;
  virtual std::string MinImageText(std::uint32_t block_size) const = 0;
  // The largest file it holds (the kernel's s_maxbytes).
  virtual std::uint64_t MaxFileBytes(std::uint32_t block_size) const = 0;

  // --- mkfs ---
  // mkfs's getopt string (':' = takes a value).
  virtual std::string_view MkfsLetters() const = 0;
  virtual std::span<const RefusedMkfsOption> RefusedMkfsOptions() const = 0;
  // The mkfs option that sets the block size ('b'; btrfs's sectorsize is 's').
  virtual char BlockSizeLetter() const { return 'b'; }
  // The block size that option's value sets, or why it cannot be honoured
  // (one line, without the option's name; `shown` is the option as written).
  virtual std::expected<std::uint32_t, std::string> BlockSizeOption(std::string_view value,
                                                                    const std::string& shown) const = 0;
  // Why it cannot be made with blocks of `block_size` (a configuration of
  // that size is then a SKIP with this reason), or empty when it can.
  virtual std::string BlockSizeRefused(std::uint32_t block_size) const {
    (void)block_size;
    return {};
  }
  // mkfs's program and its own options up to the user's (which follow, then
  // the device): a block size unless the user set one, and `uuid`, so that
  // the raw-write safety check can prove the device holds this run's.
  virtual std::vector<std::string> MkfsCommand(std::optional<std::uint32_t> block_size,
                                               const std::string& uuid) const = 0;
  // Whether words[i] (with words[i + 1]) is the UUID option MkfsCommand
  // writes; and the options MkfsCommand writes after it, which are its own
  // too (for a reproducer that keeps only the user's).
  virtual bool IsUuidOption(const std::vector<std::string>& words, std::size_t i) const = 0;
  virtual std::vector<std::string> OwnOptionsAfterUuid() const { return {}; }

  // --- Crash consistency ---
  // The program to run after mkfs to learn whether this filesystem promises
  // crash consistency (empty: it always does), and the reading of its run:
  // "" when it does, the reason when it does not, an error when the output
  // cannot be read.
  virtual std::vector<std::string> JournalCheckArgv(const std::string& device) const {
    (void)device;
    return {};
  }
  virtual std::expected<std::string, std::string> NoCrashPromise(const os::ProcessResult& run) const {
    (void)run;
    return std::string();
  }
  // Mount options the tool always adds before the user's (none on ext4 and
  // xfs; btrfs: nodatasum, so that a planted block is not a checksum error).
  virtual std::string_view OwnMountOptions() const { return {}; }
  // Whether the filesystem takes FS_IOC_SHUTDOWN (with the three modes of
  // os::ShutdownFlag). Without it a crash is only ever a crash state of the
  // recorded write log (run --record --crash-states).
  virtual bool HasShutdown() const { return true; }

  // --- Mount identity ---
  // The block devices the mount `m` of this filesystem sits on, read by
  // device numbers (fsdriver/mount_identity.h; `reach` is a path to its root
  // from this process). Default: the mount table's device number, which is
  // the block device itself (ext4, xfs). btrfs shows an anonymous 0:N there
  // and asks the mounted filesystem.
  virtual os::Result<MountDevices> DevicesOfMount(const os::MountEntry& m,
                                                  const std::string& reach) const {
    (void)reach;
    return TableDeviceOf(m);
  }

  // --- fsck, in no-modify mode ---
  virtual std::string_view FsckProgram() const = 0;
  virtual std::vector<std::string> FsckArgv(const std::string& source, FsckSource kind) const = 0;
  virtual FsckClass ClassifyFsck(const os::ProcessResult& run) const = 0;
  // Whether two runs' outputs on the two views can be compared line for line
  // once the source's name is taken out.
  virtual bool FsckOutputComparable() const = 0;

  // --- The offline reader and the metadata dump (the two views) ---
  // Block `block_index` of the file `path_in_fs` ("/f", inode `inode`) as the
  // metadata in `source` (a device or an image file, unmounted) maps it.
  // kUnsupported when the reader's program is missing.
  virtual os::Result<OfflineBlock> ReadOffline(os::System& system, const std::string& source,
                                               const std::string& path_in_fs, std::uint64_t inode,
                                               std::uint64_t block_index) const = 0;
  // The run whose output is the metadata counters a crash can leave
  // different between the views.
  virtual std::vector<std::string> MetadataDumpArgv(const std::string& source) const = 0;
  // The part of its output the two views compare: all of it, unless the tool
  // prints something that differs from run to run on the same bytes.
  virtual std::string MetadataDumpKept(std::string out) const { return out; }
  // Why, on this filesystem, the kernel's view must read the disk (empty when
  // it reads the block device through its page cache, as on ext4, whose
  // metadata goes through that cache): a kernel that writes its metadata
  // around the cache leaves blocks there that are older than the disk's, and
  // the next mount never reads them. The views then drop the device's cache
  // first, and the self-test's cache fault cannot apply.
  virtual std::string KernelWritesAroundTheDeviceCache() const { return {}; }
  // Whether, on the block device, only the metadata dump reads its page cache:
  // its tool drops the cache when it closes the device, so the offline reader
  // and fsck that follow read what reached the disk — the disk view's own
  // runs of them would read the same bytes again (engine/disk_views.cc).
  virtual bool OnlyTheDumpReadsTheCache() const { return false; }

  // --- The plant ---
  // A FIEMAP extent with its physical address made a byte offset on
  // `device` (on ext4 and xfs it is one already), its length cut where the
  // device stops holding it contiguously. kUnsupported, with the reason,
  // for an extent the tool must not plant into (the plant never writes
  // outside the extent it mapped).
  virtual os::Result<os::Extent> DeviceExtent(os::System& system, const std::string& device,
                                              const os::Extent& extent) const {
    (void)system;
    (void)device;
    return extent;
  }
  // DeviceExtent of every extent that has a physical address (not delayed,
  // unknown or inline: LocateBlockForPlant refuses those with their reason).
  os::Result<std::vector<os::Extent>> DeviceExtents(os::System& system, const std::string& device,
                                                    std::vector<os::Extent> extents) const;
  // Whether FIEMAP maps a directory's blocks (else the offline reader does).
  virtual bool FiemapMapsDirectories() const = 0;

  // --- The self-test's faults ---
  virtual CacheFaultTarget CacheFault(std::uint32_t block_size) const = 0;
  // Why the fsck control (a directory's first block overwritten) cannot
  // apply here, or empty when it can: the self-test then shows a SKIP with
  // this reason for it.
  virtual std::string DirectoryControlRefused() const { return {}; }

  // --- The explorer ---
  virtual bool Reflink() const = 0;

  // --- A guest (eofzero kernels) ---
  // Whether `eofzero kernels` runs it (its modules and tools go into every
  // initramfs).
  virtual bool InGuest() const { return true; }
  virtual std::vector<std::string> GuestModules() const = 0;  // loaded in this order
  // Loaded before them where the kernel has them as modules of their own
  // (a crypto algorithm the filesystem asks for by name, which no modprobe
  // in the guest would load), skipped where it has not.
  virtual std::vector<std::string> GuestOptionalModules() const { return {}; }
  virtual std::vector<std::string> GuestTools() const = 0;    // programs in /sbin
  // The Debian package that has them ("f2fs-tools"), for the line that
  // says one is missing on the host.
  virtual std::string_view ToolsPackage() const = 0;
  virtual std::vector<std::string> GuestEtcFiles() const { return {}; }

  // "e2fsck -fn": FsckArgv without the source, for reproducers and prose.
  std::string FsckCommandText() const;
};

}  // namespace eofzero::fsdriver
