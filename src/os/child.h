// A child process that runs while the caller does other things (the matrix's
// workers): started from an argv vector with stdout and stderr appended to a
// log file, polled without blocking, and never left behind — the destructor
// of a child that is still running sends it SIGTERM (so it can release what
// it made) and waits for it.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "os/error.h"
#include "os/process.h"

namespace eofzero::os {

class Child {
 public:
  // argv[0] is a path or looked up in PATH; stdin is /dev/null.
  static Result<Child> Start(const std::vector<std::string>& argv,
                             const std::filesystem::path& log);
  Child(Child&& other) noexcept;
  Child& operator=(Child&& other) noexcept;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child();

  // The exit status once the child has ended (out/err stay empty: see the
  // log); nullopt while it runs. After it returned a result, the child is
  // reaped and later calls return the same result.
  std::optional<ProcessResult> Poll();
  // Asks the child to stop (SIGTERM); Poll() tells when it has.
  void Terminate();
  // Stops it now (SIGKILL): for a child that did not stop when asked.
  void Kill();
  pid_t pid() const { return pid_; }

 private:
  Child() = default;
  void StopAndReap();  // SIGTERM and wait, if still running
  std::vector<std::string> argv_;
  pid_t pid_ = -1;
  std::optional<ProcessResult> result_;
};

// For a worker process (called first thing in it): it gets SIGTERM when its
// parent dies, so it stops and releases what it made. (Workers share the
// machine's mount namespace: a private copy would keep alive every other
// filesystem mounted when it was made, even after its owner unmounts it.
// What a worker killed outright leaves, its guardian releases: see
// scratch/run_registry.h.)
Status BecomeWorker();

// The running program's own executable (/proc/self/exe).
Result<std::filesystem::path> SelfExecutable();

}  // namespace eofzero::os
