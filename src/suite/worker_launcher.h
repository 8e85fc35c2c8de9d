// How the matrix starts its workers (in the spirit of ninja's CommandRunner):
// a launcher starts one from an argv vector with its output going to a log
// file, and the scheduler polls it, asks it to stop, or kills it. The real
// launcher starts os::Child processes; the scheduler's unit tests use a fake
// whose workers end when the test says, without a process or root.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "os/error.h"
#include "os/process.h"

namespace eofzero::suite {

class Worker {
 public:
  // A worker still running when it is destroyed is asked to stop (SIGTERM)
  // and waited for: none is left behind.
  virtual ~Worker() = default;
  // How it ended, once it has (ProcessResult's exit_code or term_signal;
  // its output is in the log); nullopt while it runs.
  virtual std::optional<os::ProcessResult> Poll() = 0;
  virtual void Terminate() = 0;  // asks it to stop (SIGTERM)
  virtual void Kill() = 0;       // stops it now (SIGKILL)
  virtual int Pid() const = 0;   // for diagnostics
};

class WorkerLauncher {
 public:
  virtual ~WorkerLauncher() = default;
  // argv[0] is the program; stdin is /dev/null, stdout and stderr are
  // appended to `log`. An error: it could not be started.
  virtual os::Result<std::unique_ptr<Worker>> Start(const std::vector<std::string>& argv,
                                                    const std::filesystem::path& log) = 0;
};

// Workers as child processes (os::Child).
std::unique_ptr<WorkerLauncher> MakeChildLauncher();

}  // namespace eofzero::suite
