#include "os/block_device.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "os/aligned_buffer.h"

namespace eofzero::os {
namespace {

Result<BlockGeometry> GeometryOf(int fd, const std::string& path) {
  BlockGeometry g;
  if (::ioctl(fd, BLKGETSIZE64, &g.size) < 0) return FailErrno("BLKGETSIZE64 " + path);
  int lbs = 0;
  if (::ioctl(fd, BLKSSZGET, &lbs) < 0) return FailErrno("BLKSSZGET " + path);
  g.logical_block_size = static_cast<std::uint32_t>(lbs);
  return g;
}

}  // namespace

Result<BlockDevice> BlockDevice::Open(const std::string& path, Mode mode) {
  int flags = (mode == Mode::kReadWrite ? O_RDWR : O_RDONLY) | O_DIRECT | O_EXCL;
  auto fd = OpenFile(path, flags);
  if (!fd) return std::unexpected(fd.error());
  auto g = GeometryOf(fd->get(), path);
  if (!g) return std::unexpected(g.error());
  return BlockDevice(path, std::move(*fd), g->size, g->logical_block_size);
}

Status BlockDevice::CheckAligned(std::uint64_t offset, std::uint64_t length) const {
  if (offset % logical_block_size_ || length % logical_block_size_ || length == 0)
    return Fail(ErrorKind::kInvalid, path_ + ": raw I/O at " + std::to_string(offset) + "+" +
                                         std::to_string(length) + " is not aligned to " +
                                         std::to_string(logical_block_size_));
  if (offset + length > size_ || offset + length < offset)
    return Fail(ErrorKind::kSafety, path_ + ": raw I/O at " + std::to_string(offset) + "+" +
                                        std::to_string(length) + " is past the device end " +
                                        std::to_string(size_));
  return {};
}

Result<Bytes> BlockDevice::Read(std::uint64_t offset, std::uint64_t length) const {
  if (auto ok = CheckAligned(offset, length); !ok) return std::unexpected(ok.error());
  AlignedBuffer buf(length, logical_block_size_ < 4096 ? 4096 : logical_block_size_);
  ssize_t n;
  do {
    n = ::pread(fd_.get(), buf.data(), length, static_cast<off_t>(offset));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return FailErrno("raw read " + path_ + " at " + std::to_string(offset));
  if (static_cast<std::uint64_t>(n) != length)
    return Fail(ErrorKind::kSystem, "raw read " + path_ + " at " + std::to_string(offset) +
                                        ": short read of " + std::to_string(n) + " bytes");
  return Bytes(buf.view().begin(), buf.view().end());
}

Status BlockDevice::Write(std::uint64_t offset, ByteView data) const {
  if (auto ok = CheckAligned(offset, data.size()); !ok) return ok;
  AlignedBuffer buf(data.size(), logical_block_size_ < 4096 ? 4096 : logical_block_size_);
  if (!buf.ok()) return Fail(ErrorKind::kSystem, "aligned_alloc for raw write");
  std::copy(data.begin(), data.end(), buf.data());
  ssize_t n;
  do {
    n = ::pwrite(fd_.get(), buf.data(), data.size(), static_cast<off_t>(offset));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return FailErrno("raw write " + path_ + " at " + std::to_string(offset));
  if (static_cast<std::size_t>(n) != data.size())
    return Fail(ErrorKind::kSystem, "raw write " + path_ + " at " + std::to_string(offset) +
                                        ": short write of " + std::to_string(n) + " bytes");
  if (::fdatasync(fd_.get()) < 0) return FailErrno("fdatasync " + path_);
  return {};
}

Result<BlockGeometry> ProbeGeometry(const std::string& path) {
  auto fd = OpenFile(path, O_RDONLY);
  if (!fd) return std::unexpected(fd.error());
  return GeometryOf(fd->get(), path);
}

Result<std::uint64_t> DeviceNumber(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) < 0) return FailErrno("stat " + path);
  if (!S_ISBLK(st.st_mode)) return Fail(ErrorKind::kInvalid, path + " is not a block device");
  return st.st_rdev;
}

Result<bool> IsBlockDevice(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) < 0) return FailErrno("stat " + path);
  return S_ISBLK(st.st_mode);
}

Status DropBufferCache(const std::string& path) {
  auto fd = OpenFile(path, O_RDONLY);
  if (!fd) return std::unexpected(fd.error());
  if (::ioctl(fd->get(), BLKFLSBUF, 0) < 0) return FailErrno("BLKFLSBUF " + path);
  return {};
}

Status CheckNotClaimed(const std::string& path) {
  auto fd = OpenFile(path, O_RDONLY | O_EXCL);
  if (fd) return {};
  if (fd.error().errnum == EBUSY)
    return std::unexpected(
        Error{ErrorKind::kSafety, EBUSY, path + " is in use (exclusive open refused)"});
  return std::unexpected(fd.error());
}

}  // namespace eofzero::os
