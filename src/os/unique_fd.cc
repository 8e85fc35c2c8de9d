#include "os/unique_fd.h"

#include <fcntl.h>
#include <unistd.h>

namespace eofzero::os {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

Result<UniqueFd> OpenFile(const std::string& path, int flags, unsigned mode) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  // open(2): EINVAL with O_DIRECT when the filesystem does not offer it.
  if (fd < 0 && (flags & O_DIRECT)) return FailErrno("open (O_DIRECT) " + path, errno, {EINVAL});
  if (fd < 0) return FailErrno("open " + path);
  return UniqueFd(fd);
}

}  // namespace eofzero::os
