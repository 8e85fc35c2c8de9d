// LoopDevice: a loop device this process attached to a backing file. The
// destructor detaches it (LOOP_CLR_FD); it never touches a loop device it did
// not attach. The device is configured with LO_FLAGS_AUTOCLEAR, so the kernel
// also frees it when the last opener goes away (e.g. if this process is killed).
#pragma once

#include <cstdint>
#include <string>

#include "os/error.h"
#include "os/unique_fd.h"

namespace eofzero::os {

// Whether a loop device over `file` would be rotational: the block device
// under its filesystem is (its disk's queue/rotational); false when there is
// none, as the kernel decides.
bool FileOnRotationalDevice(const std::string& file);

class LoopDevice {
 public:
  // Attaches `backing_file` (read-write) to a free loop device.
  // sector_size 0 keeps the kernel default (512).
  static Result<LoopDevice> Attach(const std::string& backing_file, std::uint32_t sector_size);

  LoopDevice(LoopDevice&&) noexcept = default;
  LoopDevice& operator=(LoopDevice&&) noexcept = delete;
  ~LoopDevice();

  const std::string& path() const { return path_; }
  // Sets queue/rotational, which the kernel derives from the block device
  // under the backing file (none, for FUSE or tmpfs: non-rotational).
  Status SetRotational(bool rotational);
  // Detaches now; after this the object owns nothing.
  Status Detach();

 private:
  LoopDevice(std::string path, UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}
  std::string path_;
  UniqueFd fd_;
};

}  // namespace eofzero::os
