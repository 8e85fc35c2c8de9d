// xfs: mkfs.xfs, xfs_repair, xfs_db (the offline reader and the metadata
// dump), FS_IOC_SHUTDOWN. fsdriver/driver.h says what each method is.
#pragma once

#include "fsdriver/driver.h"

namespace eofzero::fsdriver {

class XfsDriver final : public FsDriver {
 public:
  std::string_view Name() const override { return "xfs"; }
  std::uint64_t DefaultImageBytes() const override;
  std::uint64_t MinImageBytes(std::uint32_t block_size) const override;
  std::string MinImageText(std::uint32_t block_size) const override;
  std::uint64_t MaxFileBytes(std::uint32_t block_size) const override;
  std::string_view MkfsLetters() const override;
  std::span<const RefusedMkfsOption> RefusedMkfsOptions() const override;
  std::expected<std::uint32_t, std::string> BlockSizeOption(std::string_view value,
                                                            const std::string& shown) const override;
  std::vector<std::string> MkfsCommand(std::optional<std::uint32_t> block_size,
                                       const std::string& uuid) const override;
  bool IsUuidOption(const std::vector<std::string>& words, std::size_t i) const override;
  // xfs always journals its metadata: no journal check.
  std::string_view FsckProgram() const override { return "xfs_repair"; }
  std::vector<std::string> FsckArgv(const std::string& source, FsckSource kind) const override;
  FsckClass ClassifyFsck(const os::ProcessResult& run) const override;
  // xfs_repair's output is not comparable: its threads finish the AGs in
  // any order, and on an image it warns that it cannot get the host's
  // geometry.
  bool FsckOutputComparable() const override { return false; }
  os::Result<OfflineBlock> ReadOffline(os::System& system, const std::string& source,
                                       const std::string& path_in_fs, std::uint64_t inode,
                                       std::uint64_t block_index) const override;
  std::vector<std::string> MetadataDumpArgv(const std::string& source) const override;
  // xfs_db drops the device's cache on close (BLKFLSBUF in libxfs_device_close);
  // xfs_repair reads a block device with O_DIRECT.
  bool OnlyTheDumpReadsTheCache() const override { return true; }
  bool FiemapMapsDirectories() const override { return false; }  // FIEMAP refuses them
  CacheFaultTarget CacheFault(std::uint32_t block_size) const override;
  bool Reflink() const override { return true; }
  std::vector<std::string> GuestModules() const override { return {"xfs"}; }
  std::string_view ToolsPackage() const override { return "xfsprogs"; }
  std::vector<std::string> GuestTools() const override {
    return {"mkfs.xfs", "xfs_repair", "xfs_db"};
  }
};

}  // namespace eofzero::fsdriver
