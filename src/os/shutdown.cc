#include "os/shutdown.h"

#include <fcntl.h>
#include <linux/types.h>
#include <sys/ioctl.h>

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

Status ShutdownFilesystem(const std::string& path, ShutdownFlag flag) {
  auto fd = OpenFile(path, O_RDONLY | O_DIRECTORY);
  if (!fd) return std::unexpected(fd.error());
  __u32 arg = static_cast<__u32>(flag);
  if (::ioctl(fd->get(), kShutdownIoctl, &arg) < 0)
    return FailErrno(std::string("FS_IOC_SHUTDOWN(") + ShutdownFlagName(flag) + ") " + path);
  return {};
}

}  // namespace eofzero::os
