// BlockDevice: raw, exclusive, O_DIRECT access to a block device. The open
// uses O_EXCL, so it fails (EBUSY) while the device is mounted anywhere.
// Callers above sys/ must apply the safety rules in scratch/raw_access.h.
#pragma once

#include <cstdint>
#include <string>

#include "os/bytes.h"
#include "os/error.h"
#include "os/unique_fd.h"

namespace eofzero::os {

class BlockDevice {
 public:
  enum class Mode { kReadOnly, kReadWrite };
  static Result<BlockDevice> Open(const std::string& path, Mode mode);

  std::uint64_t size() const { return size_; }
  std::uint32_t logical_block_size() const { return logical_block_size_; }
  const std::string& path() const { return path_; }

  // offset and length must be multiples of logical_block_size().
  Result<Bytes> Read(std::uint64_t offset, std::uint64_t length) const;
  // Writes and then flushes the device's write cache (fdatasync).
  Status Write(std::uint64_t offset, ByteView data) const;

 private:
  BlockDevice(std::string path, UniqueFd fd, std::uint64_t size, std::uint32_t lbs)
      : path_(std::move(path)), fd_(std::move(fd)), size_(size), logical_block_size_(lbs) {}
  Status CheckAligned(std::uint64_t offset, std::uint64_t length) const;

  std::string path_;
  UniqueFd fd_;
  std::uint64_t size_;
  std::uint32_t logical_block_size_;
};

// Size and logical block size of a block device without claiming it.
struct BlockGeometry {
  std::uint64_t size = 0;
  std::uint32_t logical_block_size = 0;
};
Result<BlockGeometry> ProbeGeometry(const std::string& path);
// The device number (st_rdev) of the block device at `path`.
Result<std::uint64_t> DeviceNumber(const std::string& path);
// True when `path` names a block device.
Result<bool> IsBlockDevice(const std::string& path);

// BLKFLSBUF: writes back the block device's dirty page cache, then drops its
// clean pages, so that the next buffered read of `path` comes from the
// backing store. Pages someone still holds stay cached (the kernel skips them
// without saying so). Needs CAP_SYS_ADMIN (EACCES otherwise).
Status DropBufferCache(const std::string& path);

// Opens `path` with O_EXCL and closes it again: fails (EBUSY, kSafety) while
// anything holds the device exclusively — a mount, swap, device-mapper, md.
Status CheckNotClaimed(const std::string& path);

}  // namespace eofzero::os
