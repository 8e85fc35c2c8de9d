// The harness's own checks, against look-alikes: what it counts as a test's
// leftover must be the test's, whatever else runs on the machine.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;

// A process named "eofzero-record" (`sleep infinity` run through a symlink
// of that name in `dir`: its command line names `dir`). Detached, it is
// nobody's child here (its parent exits before it execs); else this test's.
// Returns once it has exec'd (the close-on-exec pipe reads EOF).
pid_t StartLookAlike(const fs::path& dir, bool detached) {
  const fs::path name = dir / "eofzero-record";
  if (!fs::exists(fs::symlink_status(name))) fs::create_symlink("/bin/sleep", name);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return -1;
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(fds[0]);
    pid_t pid = 0;
    if (detached && (pid = ::fork()) != 0) {  // the go-between: says the pid, then ends
      if (::write(fds[1], &pid, sizeof pid) < 0) ::_exit(1);
      ::_exit(0);
    }
    if (!detached) {
      pid = ::getpid();
      if (::write(fds[1], &pid, sizeof pid) < 0) ::_exit(1);
    }
    ::execl(name.c_str(), name.c_str(), "infinity", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  pid_t pid = -1;
  if (::read(fds[0], &pid, sizeof pid) != sizeof pid) pid = -1;
  char more;
  while (::read(fds[0], &more, 1) > 0) {
  }  // EOF: every copy of the write end is closed, the exec done
  ::close(fds[0]);
  if (detached) ::waitpid(child, nullptr, 0);
  return pid;
}

void Stop(pid_t pid, bool ours) {
  if (pid <= 0) return;
  ::kill(pid, SIGKILL);  // the look-alike this test started, by its pid
  if (ours) ::waitpid(pid, nullptr, 0);
}

// The hostile round: one unrelated process named eofzero-record failed 6
// tests, because ExpectNoServerLeft counted every one on the machine. What
// a test waits for is its own runs' leftovers: its children (it is their
// subreaper), never another program's process, whatever its name.
TEST(Harness, OnlyWhatThisTestsRunsLeftIsALeftover) {
  Workdir wd, elsewhere;
  const pid_t unrelated = StartLookAlike(elsewhere.path(), true);
  ASSERT_GT(unrelated, 0);
  EXPECT_TRUE(LeftoverProcesses().empty()) << "an unrelated process was counted";
  // The positive control: a process this test started and left running.
  const pid_t child = StartLookAlike(wd.path(), false);
  ASSERT_GT(child, 0);
  const std::vector<std::string> left = LeftoverProcesses();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0], std::to_string(child) + " (eofzero-record)");
  Stop(child, true);
  Stop(unrelated, false);
  ExpectNoServerLeft();
  EXPECT_TRUE(LeftoverProcesses().empty());
}

}  // namespace
}  // namespace eofzero::itest
