// A guardian: a small process forked from this one that outlives it. It
// waits on a pipe only this process writes to; when this process ends —
// normally, or killed by any signal, SIGKILL included — the kernel closes
// the pipe, and the guardian runs its task (releasing what a killed owner
// left behind) and exits. It is in a session of its own, so a terminal's
// SIGINT/SIGHUP for the owner's process group does not reach it, holds no
// descriptor of the owner's (stdin, stdout and stderr are /dev/null: a
// caller reading the owner's output is never kept waiting), and gets nothing
// the owner opens later (the pipe is close-on-exec and the guardian is
// forked before anything else exists).
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>

#include "os/error.h"
#include "os/unique_fd.h"

namespace eofzero::os {

class Guardian {
 public:
  // Forks the guardian. Call it while this process is single-threaded and
  // holds nothing the guardian must not keep open (e.g. before attaching a
  // loop device). `task` runs in the guardian once this process is gone or
  // has dropped the Guardian; it must decide itself whether there is work.
  static Result<Guardian> Start(const std::string& name, std::function<void()> task);
  Guardian(Guardian&&) noexcept = default;
  Guardian& operator=(Guardian&&) noexcept = default;
  ~Guardian() = default;  // closing the pipe wakes the guardian

  pid_t pid() const { return pid_; }

 private:
  Guardian(pid_t pid, UniqueFd pipe) : pid_(pid), pipe_(std::move(pipe)) {}
  pid_t pid_ = -1;
  UniqueFd pipe_;  // the write end; never written to
};

}  // namespace eofzero::os
