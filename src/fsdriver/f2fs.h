// f2fs: mkfs.f2fs, `fsck.f2fs --dry-run`, dump.f2fs (the offline reader and
// the metadata dump), f2fs's shutdown ioctl. The host kernel this project
// is developed on has no f2fs; Debian's kernels have it as a module, so it
// runs under `eofzero kernels` (its module and tools go into every guest).
// fsdriver/driver.h says what each method is.
#pragma once

#include "fsdriver/driver.h"

namespace eofzero::fsdriver {

class F2fsDriver final : public FsDriver {
 public:
  std::string_view Name() const override { return "f2fs"; }
  std::uint64_t DefaultImageBytes() const override;
  std::uint64_t MinImageBytes(std::uint32_t block_size) const override;
  std::string MinImageText(std::uint32_t block_size) const override;
  std::uint64_t MaxFileBytes(std::uint32_t block_size) const override;
  std::string_view MkfsLetters() const override;
  std::span<const RefusedMkfsOption> RefusedMkfsOptions() const override;
  char BlockSizeLetter() const override { return '\0'; }  // mkfs.f2fs has none
  std::expected<std::uint32_t, std::string> BlockSizeOption(std::string_view value,
                                                            const std::string& shown) const override;
  std::string BlockSizeRefused(std::uint32_t block_size) const override;
  std::vector<std::string> MkfsCommand(std::optional<std::uint32_t> block_size,
                                       const std::string& uuid) const override;
  bool IsUuidOption(const std::vector<std::string>& words, std::size_t i) const override;
  std::vector<std::string> OwnOptionsAfterUuid() const override { return {"-t", "0"}; }
  // f2fs always checkpoints and rolls fsync'd nodes forward: no check.
  std::string_view OwnMountOptions() const override;
  std::string_view FsckProgram() const override { return "fsck.f2fs"; }
  std::vector<std::string> FsckArgv(const std::string& source, FsckSource kind) const override;
  FsckClass ClassifyFsck(const os::ProcessResult& run) const override;
  // fsck.f2fs ends with its run time ("Done: 0.000123 secs").
  bool FsckOutputComparable() const override { return false; }
  os::Result<OfflineBlock> ReadOffline(os::System& system, const std::string& source,
                                       const std::string& path_in_fs, std::uint64_t inode,
                                       std::uint64_t block_index) const override;
  std::vector<std::string> MetadataDumpArgv(const std::string& source) const override;
  std::string MetadataDumpKept(std::string out) const override;
  std::string KernelWritesAroundTheDeviceCache() const override;
  // The first block of a directory comes from dump.f2fs, which reads the
  // disk, not from FIEMAP.
  bool FiemapMapsDirectories() const override { return false; }
  CacheFaultTarget CacheFault(std::uint32_t block_size) const override;
  bool Reflink() const override { return false; }
  std::vector<std::string> GuestModules() const override { return {"f2fs"}; }
  // f2fs asks the crypto API for "crc32" when it mounts ("F2FS-fs (vda):
  // Cannot load crc32 driver." without it, measured on 6.12): crc32_generic
  // up to 6.13, crc32_cryptoapi from 6.14.
  std::vector<std::string> GuestOptionalModules() const override {
    return {"crc32_generic", "crc32_cryptoapi"};
  }
  std::string_view ToolsPackage() const override { return "f2fs-tools"; }
  std::vector<std::string> GuestTools() const override {
    return {"mkfs.f2fs", "fsck.f2fs", "dump.f2fs"};
  }
};

}  // namespace eofzero::fsdriver
