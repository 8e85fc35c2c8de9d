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

#include "os/child.h"
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
  bool marker_seen = false;  // RunEofzeroAndInterrupt, RunMatrixKillingAWorker: held and acted
  bool timed_out = false;    // RunEofzeroWithTimeout, HeldRun::Wait: the backstop killed it
};

// How long a test waits for an event before it gives up and FAILS: a
// backstop against a hang, never a condition a test passes by.
inline constexpr int kBackstopSeconds = 240;

// Runs the built eofzero binary with `args` and waits for it.
Ran RunEofzero(const std::vector<std::string>& args);
// The same with "NAME=value" entries added to the environment.
Ran RunEofzeroWithEnv(const std::vector<std::string>& env, const std::vector<std::string>& args);

// Runs eofzero; if it has not ended after `seconds`, kills it (SIGKILL) and
// says so (timed_out), so a hang fails the test instead of stalling it.
Ran RunEofzeroWithTimeout(const std::vector<std::string>& args, int seconds);

// eofzero with a test-only hold (EOFZERO_TEST_HOLD, src/os/test_hold.h): each
// of its processes (a matrix's workers too) stops at a diagnostic message, of
// any level, that contains `point` — the first one, unless the test keeps
// listening for more — and waits there until the test releases it, so the
// test acts while the run is provably at that step. The test's socket and the run's stdout and stderr (files: a run
// never waits for a reader) are in a folder of the HeldRun's own, outside any
// Workdir. Every wait is on the event itself (the socket, a pidfd of the
// run); kBackstopSeconds only fails the test.
class HeldRun {
 public:
  // `env`: "NAME=value" entries that replace this process's for the run.
  HeldRun(const std::vector<std::string>& args, const std::string& point,
          const std::vector<std::string>& env = {});
  HeldRun(const HeldRun&) = delete;
  HeldRun& operator=(const HeldRun&) = delete;
  // A run still going (a test that stopped early) is released, asked to stop
  // (SIGTERM) and waited for.
  ~HeldRun();

  struct Held {
    pid_t pid = -1;       // the process that stopped (the run, or a worker of it)
    std::string message;  // the message it stopped at
  };
  // Waits until a process of the run stops at the point. When the run ends
  // first, or after the backstop, the test fails and the result is empty.
  // Unless `keep_listening`, no later message holds anyone (the listener is
  // closed: the others go on at once).
  std::optional<Held> WaitHeld(bool keep_listening = false);
  // The same, for a test that holds a run at each of its points until it
  // ends: empty (and no failure) when the run ended.
  std::optional<Held> NextHold();
  // Lets the held process go on.
  void Release();
  // Releases, waits for the run to end, and says how it ended (its stdout and
  // stderr too). After the backstop it is killed and the test fails.
  Ran Wait();

  pid_t pid() const { return pid_; }
  // What the run wrote on stderr so far.
  std::string Err() const;

 private:
  std::optional<Held> Accept(bool keep_listening, bool fail_when_ended);
  std::string point_;
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int pidfd_ = -1;
  int listener_ = -1;
  int held_ = -1;
  bool reaped_ = false;
};

// Waits for a child the test started with os::Child::Start to end and says
// how (after the backstop it is killed and the test fails).
os::ProcessResult WaitFor(os::Child& child);

// Starts `argv` (os::Child::Start) with its stdout and stderr into a FIFO
// made at `fifo`, and reads it until `text` shows (seen). When the output
// ends first, or after the backstop, the test fails.
struct Started {
  std::optional<os::Child> child;
  std::string said;  // what it wrote until then
  bool seen = false;
};
Started StartAndReadUntil(const std::vector<std::string>& argv, const std::filesystem::path& fifo,
                          const std::string& text);

// Waits until a process that is not this test's child ends (a pidfd; after
// the backstop the test fails): a guardian the test killed, say.
void WaitForExitOf(pid_t pid);

// Runs `eofzero matrix ...` (with "NAME=value" entries of `env` in its
// environment) held at a worker's first mount (its first "mounted /dev/loop"
// message), kills that worker with SIGKILL while it holds the mount, then
// waits for the matrix. marker_seen: a worker was killed.
Ran RunMatrixKillingAWorker(const std::vector<std::string>& args,
                            const std::vector<std::string>& env = {});

// Runs eofzero held at its first message that contains `point` and, while
// it is there, sends it `signo`; then lets it go on and waits for it. A
// handled signal is seen when the run goes on from the point.
Ran RunEofzeroAndInterrupt(const std::vector<std::string>& args, const std::string& point,
                           int signo);

// The message a run gives as it starts a step of a shipped case, e.g.
// "truncate_up:11: plant": LINE is that of the first line of the case file
// (cases/CASE.toml) whose step is `step`.
std::string StepPoint(const std::string& case_name, const std::string& step);

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

// This test process is the subreaper of everything it starts
// (PR_SET_CHILD_SUBREAPER): a process a run leaves behind (its guardian, its
// FUSE server, a matrix's worker) becomes the test's child when its parent
// ends. This waits until every child of the test has ended and reaps them:
// what a killed run left, its guardian has released by then. After the
// backstop the test fails, naming what still runs.
void WaitForLeftoverProcesses();
// Waits for the leftover processes, then asserts that no loop device backed
// by a file under the workdir, no mount under it and no run folder in it
// remains.
void ExpectNothingLeft(const Workdir& wd);
// No FUSE server (comm "eofzero-record") of this test's runs is left: every
// process they left has ended (servers of other programs are not counted).
void ExpectNoServerLeft();
// The processes this test's runs left that still run, "PID (COMM)" each:
// the test's own children (it is their subreaper), never another program's.
std::vector<std::string> LeftoverProcesses();

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
