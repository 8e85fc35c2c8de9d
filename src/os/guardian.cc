#include "os/guardian.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>

namespace eofzero::os {
namespace {

// In the guardian: a session of its own, no terminal signals, stdio on
// /dev/null, and no descriptor but the pipe's read end.
void Detach(int keep, const std::string& name) {
  ::setsid();
  if (::chdir("/") < 0) {
  }  // never pin the owner's working directory's filesystem
  for (int sig : {SIGINT, SIGHUP, SIGPIPE, SIGQUIT}) ::signal(sig, SIG_IGN);
  ::signal(SIGTERM, SIG_DFL);
  ::prctl(PR_SET_NAME, name.c_str(), 0, 0, 0);
  int null = ::open("/dev/null", O_RDWR);
  for (int fd = 0; fd < 3; ++fd) ::dup2(null, fd);
  if (keep > 3) ::syscall(SYS_close_range, 3u, static_cast<unsigned>(keep - 1), 0u);
  ::syscall(SYS_close_range, static_cast<unsigned>(keep + 1), static_cast<unsigned>(INT_MAX), 0u);
}

}  // namespace

Result<Guardian> Guardian::Start(const std::string& name, std::function<void()> task) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) return FailErrno("pipe2 for the guardian");
  UniqueFd read_end(fds[0]), write_end(fds[1]);
  const pid_t pid = ::fork();
  if (pid < 0) return FailErrno("fork the guardian");
  if (pid == 0) {
    Detach(read_end.get(), name);
    char byte;
    while (true) {
      const ssize_t n = ::read(read_end.get(), &byte, 1);
      if (n == 0 || (n < 0 && errno != EINTR)) break;
    }
    task();
    ::_exit(0);
  }
  return Guardian(pid, std::move(write_end));
}

}  // namespace eofzero::os
