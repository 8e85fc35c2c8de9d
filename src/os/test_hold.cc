#include "os/test_hold.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "os/unique_fd.h"

namespace eofzero::os {

Result<HoldPoint> ParseHoldPoint(std::string_view value) {
  const auto colon = value.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == value.size())
    return Fail(ErrorKind::kInvalid, std::string(kTestHoldVariable) + ": '" + std::string(value) +
                                         "' is not SOCKET:TEXT (a test-only hold)");
  HoldPoint point{std::string(value.substr(0, colon)), std::string(value.substr(colon + 1))};
  if (point.socket.size() >= sizeof(sockaddr_un::sun_path))
    return Fail(ErrorKind::kInvalid, std::string(kTestHoldVariable) + ": the socket path '" +
                                         point.socket + "' is longer than " +
                                         std::to_string(sizeof(sockaddr_un::sun_path) - 1) +
                                         " bytes");
  return point;
}

Result<bool> HoldAt(const std::string& socket, std::string_view message) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket.size() >= sizeof address.sun_path)
    return Fail(ErrorKind::kInvalid, "hold socket " + socket + ": path too long");
  std::memcpy(address.sun_path, socket.data(), socket.size());
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return FailErrno("socket for the hold at " + socket);
  int rc;
  while ((rc = ::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address)) <
             0 &&
         errno == EINTR) {
  }
  if (rc < 0) {
    if (errno == ECONNREFUSED || errno == ENOENT) return false;  // nobody holds us
    return FailErrno("connect to the hold at " + socket);
  }
  std::string text = std::to_string(::getpid()) + "\n";
  text += message;
  for (std::size_t sent = 0; sent < text.size();) {
    // MSG_NOSIGNAL: a test that went away is no SIGPIPE (which would read as an interrupt).
    const ssize_t n = ::send(fd.get(), text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return true;  // the test is gone: nothing holds us any more
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd.get(), SHUT_WR);
  char byte;
  while (::recv(fd.get(), &byte, 1, 0) < 0 && errno == EINTR) {
  }
  return true;
}

}  // namespace eofzero::os
