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

// What backs the loop device `name` (a directory of /sys/block with a loop/
// folder). The node in /dev must be the device sysfs names.
Result<LoopBacking> ReadLoopBacking(const std::string& name, std::uint64_t devno) {
  const std::string node = "/dev/" + name;
  auto fd = OpenFile(node, O_RDONLY | O_NONBLOCK);
  if (!fd)
    return Fail(ErrorKind::kSafety, "cannot tell what backs " + name + ": " + fd.error().Message());
  struct stat st {};
  if (::fstat(fd->get(), &st) < 0 || !S_ISBLK(st.st_mode) || st.st_rdev != devno)
    return Fail(ErrorKind::kSafety, "cannot tell what backs " + name + ": " + node +
                                        " is not the device sysfs names " +
                                        std::to_string(major(devno)) + ":" +
                                        std::to_string(minor(devno)));
  loop_info64 info{};
  if (::ioctl(fd->get(), LOOP_GET_STATUS64, &info) < 0) {
    if (errno == ENXIO) return Fail(ErrorKind::kInvalid, name + " is not configured");
    return std::unexpected(
        Error{ErrorKind::kSafety, errno, "cannot tell what backs " + name + ": LOOP_GET_STATUS64"});
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
    auto backing = ReadLoopBacking(name, *devno);
    if (!backing && backing.error().kind == ErrorKind::kInvalid) continue;  // detached meanwhile
    if (!backing) return std::unexpected(backing.error());
    out.push_back(std::move(*backing));
  }
  if (ec) return Fail(ErrorKind::kSystem, "list /sys/block: " + ec.message());
  return out;
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
    if (::stat((entry.path() / "ns" / "mnt").c_str(), &st) < 0) continue;  // gone, or a kernel thread
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
