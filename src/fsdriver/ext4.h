// ext4: mke2fs, e2fsck, libext2fs (the offline reader, through os::System),
// debugfs (the metadata dump), FS_IOC_SHUTDOWN. fsdriver/driver.h says what
// each method is.
#pragma once

#include "fsdriver/driver.h"

namespace eofzero::fsdriver {

class Ext4Driver final : public FsDriver {
 public:
  std::string_view Name() const override { return "ext4"; }
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
  std::vector<std::string> OwnOptionsAfterUuid() const override { return {"-E", "nodiscard"}; }
  std::vector<std::string> JournalCheckArgv(const std::string& device) const override;
  std::expected<std::string, std::string> NoCrashPromise(const os::ProcessResult& run) const override;
  std::string_view FsckProgram() const override { return "e2fsck"; }
  std::vector<std::string> FsckArgv(const std::string& source, FsckSource kind) const override;
  FsckClass ClassifyFsck(const os::ProcessResult& run) const override;
  bool FsckOutputComparable() const override { return true; }
  os::Result<OfflineBlock> ReadOffline(os::System& system, const std::string& source,
                                       const std::string& path_in_fs, std::uint64_t inode,
                                       std::uint64_t block_index) const override;
  std::vector<std::string> MetadataDumpArgv(const std::string& source) const override;
  bool FiemapMapsDirectories() const override { return true; }
  CacheFaultTarget CacheFault(std::uint32_t block_size) const override;
  bool Reflink() const override { return false; }
  std::vector<std::string> GuestModules() const override { return {"ext4"}; }
  std::string_view ToolsPackage() const override { return "e2fsprogs"; }
  std::vector<std::string> GuestTools() const override {
    return {"mkfs.ext4", "e2fsck", "dumpe2fs"};
  }
  std::vector<std::string> GuestEtcFiles() const override { return {"/etc/mke2fs.conf"}; }
};

}  // namespace eofzero::fsdriver
