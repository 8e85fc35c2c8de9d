// btrfs: mkfs.btrfs (single data profile), `btrfs check --readonly`, the
// offline reader and the plant's mapping through `btrfs inspect-internal
// dump-tree` (the chunk tree turns FIEMAP's logical addresses into device
// offsets), `dump-super` as the metadata dump. No FS_IOC_SHUTDOWN on this
// kernel (ENOTTY, measured on 6.18): a case's `shutdown` is a SKIP that says
// so. fsdriver/driver.h says what each method is.
#pragma once

#include "fsdriver/driver.h"
#include "os/btrfs_mount.h"

namespace eofzero::fsdriver {

class BtrfsDriver final : public FsDriver {
 public:
  std::string_view Name() const override { return "btrfs"; }
  std::uint64_t DefaultImageBytes() const override;
  std::uint64_t MinImageBytes(std::uint32_t block_size) const override;
  std::string MinImageText(std::uint32_t block_size) const override;
  std::uint64_t MaxFileBytes(std::uint32_t block_size) const override;
  std::string_view MkfsLetters() const override;
  std::span<const RefusedMkfsOption> RefusedMkfsOptions() const override;
  char BlockSizeLetter() const override { return 's'; }
  std::expected<std::uint32_t, std::string> BlockSizeOption(std::string_view value,
                                                            const std::string& shown) const override;
  std::string BlockSizeRefused(std::uint32_t block_size) const override;
  std::vector<std::string> MkfsCommand(std::optional<std::uint32_t> block_size,
                                       const std::string& uuid) const override;
  bool IsUuidOption(const std::vector<std::string>& words, std::size_t i) const override;
  std::string_view OwnMountOptions() const override { return "nodatasum"; }
  os::Result<MountDevices> DevicesOfMount(const os::MountEntry& m,
                                          const std::string& reach) const override;
  bool HasShutdown() const override { return false; }
  std::string_view FsckProgram() const override { return "btrfs"; }
  std::vector<std::string> FsckArgv(const std::string& source, FsckSource kind) const override;
  FsckClass ClassifyFsck(const os::ProcessResult& run) const override;
  bool FsckOutputComparable() const override { return true; }
  os::Result<OfflineBlock> ReadOffline(os::System& system, const std::string& source,
                                       const std::string& path_in_fs, std::uint64_t inode,
                                       std::uint64_t block_index) const override;
  std::vector<std::string> MetadataDumpArgv(const std::string& source) const override;
  os::Result<os::Extent> DeviceExtent(os::System& system, const std::string& device,
                                      const os::Extent& extent) const override;
  bool FiemapMapsDirectories() const override { return true; }
  CacheFaultTarget CacheFault(std::uint32_t block_size) const override;
  std::string DirectoryControlRefused() const override {
    return "btrfs directories have no data blocks (their entries are items in the fs tree's "
           "leaves): there is no directory block to overwrite";
  }
  bool Reflink() const override { return true; }
  bool InGuest() const override { return false; }  // not yet
  std::vector<std::string> GuestModules() const override { return {"btrfs"}; }
  std::string_view ToolsPackage() const override { return "btrfs-progs"; }
  std::vector<std::string> GuestTools() const override { return {"mkfs.btrfs", "btrfs"}; }
};

// Pure: what the facts read through a btrfs mount's root say about the
// mount table's entry `m`: its member devices and fsid, when the facts are
// that mount's (the same mount id); kSafety otherwise.
os::Result<MountDevices> BtrfsMountDevices(const os::MountEntry& m, const os::BtrfsMountFacts& facts);

}  // namespace eofzero::fsdriver
