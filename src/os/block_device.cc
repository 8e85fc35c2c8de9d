#include "os/block_device.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>

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

Result<bool> IsBlockDevice(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) < 0) return FailErrno("stat " + path);
  return S_ISBLK(st.st_mode);
}

namespace {

// "259:1\n" (a sysfs dev file) -> makedev(259, 1).
std::optional<std::uint64_t> ReadDevFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  unsigned major = 0, minor = 0;
  char colon = 0;
  if (!(in >> major >> colon >> minor) || colon != ':') return std::nullopt;
  return static_cast<std::uint64_t>(makedev(major, minor));
}

}  // namespace

Result<std::vector<std::uint64_t>> DeviceNumbersOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) < 0) return FailErrno("stat " + path);
  if (!S_ISBLK(st.st_mode)) return Fail(ErrorKind::kInvalid, path + " is not a block device");
  std::vector<std::uint64_t> out = {static_cast<std::uint64_t>(st.st_rdev)};
  const std::filesystem::path sys = "/sys/dev/block/" + std::to_string(major(st.st_rdev)) + ":" +
                                    std::to_string(minor(st.st_rdev));
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(sys, ec)) {
    if (!std::filesystem::exists(entry.path() / "partition", ec)) continue;
    if (auto devno = ReadDevFile(entry.path() / "dev")) out.push_back(*devno);
  }
  return out;
}

Result<std::vector<std::string>> DeviceUsers(const std::string& path) {
  EOFZERO_ASSIGN_OR_RETURN(std::vector<std::uint64_t> devnos, DeviceNumbersOf(path));
  std::vector<std::string> users;
  std::error_code ec;
  for (std::uint64_t devno : devnos) {
    const std::filesystem::path holders = "/sys/dev/block/" + std::to_string(major(devno)) + ":" +
                                          std::to_string(minor(devno)) + "/holders";
    for (const auto& h : std::filesystem::directory_iterator(holders, ec))
      users.push_back(h.path().filename().string() + " holds it");
  }
  for (const auto& dev : std::filesystem::directory_iterator("/sys/block", ec)) {
    std::ifstream in(dev.path() / "loop" / "backing_file");
    std::string backing;
    if (!std::getline(in, backing) || backing.empty()) continue;
    struct stat st {};
    if (::stat(backing.c_str(), &st) < 0 || !S_ISBLK(st.st_mode)) continue;
    if (std::find(devnos.begin(), devnos.end(), static_cast<std::uint64_t>(st.st_rdev)) !=
        devnos.end())
      users.push_back("/dev/" + dev.path().filename().string() + " is backed by it");
  }
  return users;
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
