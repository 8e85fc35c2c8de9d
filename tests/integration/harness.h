// Helpers for the root integration tests: run the real eofzero binary, and
// look for anything it left behind (loop devices backed by files in a
// folder, mounts under it).
#pragma once

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "os/loop_device.h"

namespace eofzero::itest {

bool IsRoot();

#define REQUIRE_ROOT()             \
  if (!::eofzero::itest::IsRoot()) \
  GTEST_SKIP() << "needs root: loop devices, mkfs, mount, raw writes"

// Recording needs /dev/fuse (the fuse module, or a container that passes it).
#define REQUIRE_ROOT_AND_FUSE() \
  REQUIRE_ROOT();               \
  if (!std::filesystem::exists("/dev/fuse")) GTEST_SKIP() << "needs /dev/fuse"

struct Ran {
  int exit_code = -1;
  int term_signal = 0;
  std::string out;
  std::string err;
  bool marker_seen = false;  // RunAndInterrupt only
  bool timed_out = false;    // RunEofzeroWithTimeout only: it was killed
};

// Runs the built eofzero binary with `args` and waits for it.
Ran RunEofzero(const std::vector<std::string>& args);
// The same with "NAME=value" entries added to the environment.
Ran RunEofzeroWithEnv(const std::vector<std::string>& env, const std::vector<std::string>& args);

// Runs eofzero; if it has not ended after `seconds`, kills it (SIGKILL) and
// says so (timed_out), so a hang fails the test instead of stalling it.
Ran RunEofzeroWithTimeout(const std::vector<std::string>& args, int seconds);

// Runs `eofzero matrix ... -v`, and once its first worker ("runs as pid N")
// has a mount under `dir` (seen in /proc/N/mountinfo), kills that worker with
// SIGKILL; then waits for the matrix. marker_seen: a worker was killed.
Ran RunMatrixKillingAWorker(const std::vector<std::string>& args, const std::filesystem::path& dir);

// Runs eofzero, and when a line of its stderr contains `marker`, sends it
// `signo`; then waits for it to finish.
Ran RunEofzeroAndInterrupt(const std::vector<std::string>& args, const std::string& marker,
                           int signo);

// Runs eofzero with stdout on a pipe, reads its first line, then closes the
// pipe, as `eofzero run | head -1` would.
Ran RunEofzeroClosingStdoutEarly(const std::vector<std::string>& args);

// A private folder under /var/tmp for one test's images. The destructor
// removes it — after releasing, by exact name, any mount or loop device a
// broken run left behind under it, so one failure does not cascade.
class Workdir {
 public:
  Workdir();
  ~Workdir();
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }
  // Entries directly or indirectly inside (images, mount points, run dirs).
  std::vector<std::string> Contents() const;

 private:
  std::filesystem::path path_;
};

std::vector<std::string> LoopDevicesBackedUnder(const std::filesystem::path& dir);
std::vector<std::string> MountsUnder(const std::filesystem::path& dir);

// Run folders (eofzero.XXXXXX) anywhere under `dir`.
std::vector<std::string> RunFoldersUnder(const std::filesystem::path& dir);

// Asserts that no loop device backed by a file under the workdir, no mount
// under it and no run folder in it remains (after a grace of a few seconds,
// in which a killed run's guardian releases what it left).
void ExpectNothingLeft(const Workdir& wd);
// How many of eofzero's FUSE servers (comm "eofzero-record") this test
// started run now, and the expectation that none is left (after waiting a
// moment for a killed run's). A server is the test's when it descends from
// this process (one the test started itself, or one of a run still going),
// or when its command line names a path in `wd` (a run's server is forked,
// not exec'd: it keeps the run's argv, --workdir and all, after the run is
// gone). Another process of that name on the machine is not counted.
int RecordingServers(const Workdir& wd);
void ExpectNoServerLeft(const Workdir& wd);

// A loop device of the test's own over a sparse file (512 MiB "scratch.img"
// unless told otherwise) in the workdir: what a user's scratch device would be.
os::Result<os::LoopDevice> AttachScratchImage(const Workdir& wd,
                                              const std::string& name = "scratch.img",
                                              std::uint64_t bytes = 512ull << 20);
// Checks nothing is mounted under the workdir, detaches the test's own
// device (by the test, not by the tool), and checks nothing else is left.
void ReleaseScratchImage(std::optional<os::LoopDevice>& loop, const Workdir& wd);

void WriteFile(const std::filesystem::path& path, const std::string& text);
std::string ReadFile(const std::filesystem::path& path);

// Lines of `text` that start with `prefix`.
std::vector<std::string> LinesStartingWith(const std::string& text, const std::string& prefix);
int CountOccurrences(const std::string& text, const std::string& needle);

}  // namespace eofzero::itest
