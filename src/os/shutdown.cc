#include "os/shutdown.h"

#include <fcntl.h>
#include <linux/types.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "os/unique_fd.h"

namespace eofzero::os {
namespace {
constexpr unsigned long kShutdownIoctl = _IOR('X', 125, __u32);
}

const char* ShutdownFlagName(ShutdownFlag flag) {
  switch (flag) {
    case ShutdownFlag::kDefault:
      return "default";
    case ShutdownFlag::kLogFlush:
      return "logflush";
    case ShutdownFlag::kNoLogFlush:
      return "nologflush";
  }
  return "?";
}

Status ShutdownFilesystem(const std::string& path, std::uint64_t devno, ShutdownFlag flag) {
  auto fd = OpenFile(path, O_RDONLY | O_DIRECTORY);
  if (!fd) return std::unexpected(fd.error());
  struct stat st {};
  if (::fstat(fd->get(), &st) < 0) return FailErrno("stat " + path);
  if (st.st_dev != devno)  // decided by the device the opened folder is on, not by the path
    return Fail(ErrorKind::kSafety, "FS_IOC_SHUTDOWN " + path + ": what is mounted there now is " +
                                        "on device " + std::to_string(major(st.st_dev)) + ":" +
                                        std::to_string(minor(st.st_dev)) +
                                        ", not ours; refusing to shut down what is not ours");
  __u32 arg = static_cast<__u32>(flag);
  if (::ioctl(fd->get(), kShutdownIoctl, &arg) < 0)
    return FailErrno(std::string("FS_IOC_SHUTDOWN(") + ShutdownFlagName(flag) + ") " + path);
  return {};
}

}  // namespace eofzero::os
