// Child processes (mkfs, fsck, ...): started from an argv vector, never a
// shell string; stdout and stderr are captured for the evidence.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "os/error.h"

namespace eofzero::os {

struct ProcessResult {
  std::vector<std::string> argv;
  int exit_code = -1;  // -1 when the child was killed by a signal
  int term_signal = 0;
  std::string out;
  std::string err;

  bool ok() const { return exit_code == 0; }
  std::string CommandLine() const;
  // How it ended: "exited 1", or "was killed by signal 9 (SIGKILL)".
  std::string Ending() const;
  // "mkfs.xfs ... exited 1: <stderr>" for error messages, on one line: the
  // first 3 lines of stderr (else stdout) and at most 300 of their
  // characters, saying how much was cut ("(25 more lines cut)"). The whole
  // output stays in `err` and `out`.
  std::string Describe() const;
};

// "SIGKILL" for 9; "" for a number that is no signal.
std::string SignalName(int signo);
// "signal 9 (SIGKILL)", or "signal 200" for a number that is no signal.
std::string DescribeSignal(int signo);

// Runs argv[0] (looked up in PATH) and waits for it. An error means the child
// could not be started or waited for; a non-zero exit is a ProcessResult.
Result<ProcessResult> RunProcess(const std::vector<std::string>& argv);

// "6.18.44-fc-v769 x86_64" (uname -r and -m).
std::string KernelRelease();

// True when `program` is found in PATH.
bool ProgramExists(const std::string& program);

// Where `program` is found in PATH (the first executable of that name);
// empty when it is not.
std::string ProgramPath(const std::string& program);

// MemAvailable from /proc/meminfo, in MiB; 0 when it cannot be read.
std::uint64_t AvailableMemoryMiB();

// Whether this process can open `path` for reading and writing (e.g.
// /dev/kvm); the error says why not ("open /dev/kvm: No such file or
// directory").
Status CheckReadWrite(const std::string& path);

}  // namespace eofzero::os
