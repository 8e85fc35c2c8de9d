#include "os/device_users.h"

#include <fcntl.h>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "os/unique_fd.h"

namespace eofzero::os {
namespace {

namespace fs = std::filesystem;

std::string SysfsDir(std::uint64_t devno) {
  return "/sys/dev/block/" + std::to_string(major(devno)) + ":" + std::to_string(minor(devno));
}

// "259:1\n" (a sysfs dev file) -> makedev(259, 1).
std::optional<std::uint64_t> ReadDevFile(const fs::path& file) {
  std::ifstream in(file);
  unsigned maj = 0, min = 0;
  char colon = 0;
  if (!(in >> maj >> colon >> min) || colon != ':') return std::nullopt;
  return static_cast<std::uint64_t>(makedev(maj, min));
}

std::string FirstLine(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

// The kernel reports lo_device/lo_rdevice in its "huge" encoding, which for
// the 32-bit numbers Linux hands out is glibc's makedev layout.
std::uint64_t FromKernelDev(std::uint64_t v) {
  return static_cast<std::uint64_t>(makedev(major(v), minor(v)));
}

// The loop device `name`'s node, opened: it must be the device sysfs names.
Result<UniqueFd> OpenLoopNode(const std::string& name, std::uint64_t devno) {
  const std::string node = "/dev/" + name;
  EOFZERO_ASSIGN_OR_RETURN(UniqueFd fd, OpenFile(node, O_RDONLY | O_NONBLOCK));
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0 || !S_ISBLK(st.st_mode) || st.st_rdev != devno)
    return Fail(ErrorKind::kSafety, node + " is not the device sysfs names " +
                                        std::to_string(major(devno)) + ":" +
                                        std::to_string(minor(devno)));
  return fd;
}

// What backs the open loop device; kInvalid when it is not configured.
Result<LoopBacking> ReadLoopBacking(int fd, const std::string& name, std::uint64_t devno) {
  loop_info64 info{};
  if (::ioctl(fd, LOOP_GET_STATUS64, &info) < 0) {
    if (errno == ENXIO) return Fail(ErrorKind::kInvalid, name + " is not configured");
    return FailErrno("LOOP_GET_STATUS64 " + name);
  }
  LoopBacking b;
  b.name = name;
  b.devno = devno;
  b.file_dev = FromKernelDev(info.lo_device);
  b.file_ino = info.lo_inode;
  b.file_rdev = FromKernelDev(info.lo_rdevice);
  b.file_name = FirstLine(fs::path("/sys/block") / name / "loop" / "backing_file");
  return b;
}

// /proc/swaps escapes blanks and backslashes in paths as \040-style octal.
std::string UnescapeOctal(const std::string& s) {
  auto octal = [&](std::size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '7'; };
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && octal(i + 1) && octal(i + 2) && octal(i + 3)) {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

Result<DeviceFamily> FamilyOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) < 0) return FailErrno("stat " + path);
  if (!S_ISBLK(st.st_mode)) return Fail(ErrorKind::kInvalid, path + " is not a block device");
  DeviceFamily family;
  family.devno = st.st_rdev;
  const fs::path sys = SysfsDir(family.devno);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(sys, ec)) {
    if (!fs::exists(entry.path() / "partition", ec)) continue;
    if (auto devno = ReadDevFile(entry.path() / "dev")) family.partitions.push_back(*devno);
  }
  // A partition's sysfs folder sits inside its disk's.
  if (fs::exists(sys / "partition", ec)) family.whole_disk = ReadDevFile(sys / ".." / "dev");
  return family;
}

Result<std::vector<LoopBacking>> ListLoopBackings() {
  std::vector<LoopBacking> out;
  std::error_code ec;
  for (const auto& dev : fs::directory_iterator("/sys/block", ec)) {
    const std::string name = dev.path().filename().string();
    if (!name.starts_with("loop") || !fs::exists(dev.path() / "loop", ec)) continue;
    auto devno = ReadDevFile(dev.path() / "dev");
    if (!devno) continue;
    auto fd = OpenLoopNode(name, *devno);
    auto backing = fd ? ReadLoopBacking(fd->get(), name, *devno)
                      : Result<LoopBacking>(std::unexpected(fd.error()));
    if (!backing && backing.error().kind == ErrorKind::kInvalid) continue;  // detached meanwhile
    if (!backing)
      return Fail(ErrorKind::kSafety,
                  "cannot tell what backs " + name + ": " + backing.error().Message());
    out.push_back(std::move(*backing));
  }
  if (ec) return Fail(ErrorKind::kSystem, "list /sys/block: " + ec.message());
  return out;
}

Result<bool> DetachLoopIfStillBacking(const LoopBacking& loop) {
  auto fd = OpenLoopNode(loop.name, loop.devno);
  if (!fd) return false;  // gone, or the name is another device's now
  auto now = ReadLoopBacking(fd->get(), loop.name, loop.devno);
  if (!now || now->file_dev != loop.file_dev || now->file_ino != loop.file_ino) return false;
  if (::ioctl(fd->get(), LOOP_CLR_FD, 0) < 0 && errno != ENXIO)
    return FailErrno("LOOP_CLR_FD /dev/" + loop.name);
  return true;
}

std::vector<std::string> HoldersOf(std::uint64_t devno) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& h : fs::directory_iterator(fs::path(SysfsDir(devno)) / "holders", ec))
    out.push_back(h.path().filename().string());
  return out;
}

Result<std::vector<SwapArea>> ListSwapAreas() {
  std::ifstream in("/proc/swaps");
  if (!in) return Fail(ErrorKind::kSystem, "open /proc/swaps");
  std::vector<SwapArea> out;
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string path;
    if (!(words >> path)) continue;
    SwapArea area;
    area.path = UnescapeOctal(path);
    struct stat st {};
    if (::stat(area.path.c_str(), &st) == 0) {
      if (S_ISBLK(st.st_mode)) area.rdev = st.st_rdev;
      area.dev = st.st_dev;
    }
    out.push_back(std::move(area));
  }
  return out;
}

Result<std::vector<NamespaceMounts>> ReadEveryMountNamespace() {
  std::map<std::uint64_t, pid_t> first_pid;  // namespace inode -> lowest pid in it
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    struct stat st {};
    if (::stat((entry.path() / "ns" / "mnt").c_str(), &st) < 0)
      continue;  // gone, or a kernel thread
    const pid_t pid = static_cast<pid_t>(std::stol(name));
    auto [it, added] = first_pid.emplace(st.st_ino, pid);
    if (!added && pid < it->second) it->second = pid;
  }
  if (ec) return Fail(ErrorKind::kSystem, "list /proc: " + ec.message());
  std::vector<NamespaceMounts> out;
  for (const auto& [ns, pid] : first_pid) {
    const std::string dir = "/proc/" + std::to_string(pid);
    auto mounts = ReadMountTable(dir + "/mountinfo");
    if (!mounts) continue;  // the process ended
    out.push_back({pid, FirstLine(dir + "/comm"), ns, std::move(*mounts)});
  }
  return out;
}

}  // namespace eofzero::os
