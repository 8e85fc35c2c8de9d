// The harness's own checks, against look-alikes: what it counts as a test's
// leftover must be the test's, whatever else runs on the machine.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;

// A process named "eofzero-record" (`sleep infinity` run through a symlink
// of that name in `dir`: its command line names `dir`), its output to
// /dev/null (a leftover never holds ctest's pipe). Detached, it is nobody's
// child here: its parent ends before it execs, while this process is not a
// subreaper, so it goes to init (or whichever subreaper is above us); else it
// is this test's. Returns once it has exec'd (the close-on-exec pipe reads
// EOF).
pid_t StartLookAlike(const fs::path& dir, bool detached) {
  const fs::path name = dir / "eofzero-record";
  if (!fs::exists(fs::symlink_status(name))) fs::create_symlink("/bin/sleep", name);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return -1;
  if (detached && ::prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0) != 0) return -1;
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(fds[0]);
    const int null = ::open("/dev/null", O_RDWR);
    if (null < 0 || ::dup2(null, 0) < 0 || ::dup2(null, 1) < 0 || ::dup2(null, 2) < 0) ::_exit(1);
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
  if (detached) {
    ::waitpid(child, nullptr, 0);  // it ended: the look-alike is reparented by now
    if (::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
      ::kill(pid, SIGKILL);
      return -1;
    }
  }
  return pid;
}

// Kills the look-alikes this test started, by pid, however the test ends.
struct LookAlikes {
  std::vector<std::pair<pid_t, bool>> started;  // pid, this test's child
  pid_t Start(const fs::path& dir, bool detached) {
    const pid_t pid = StartLookAlike(dir, detached);
    if (pid > 0) started.push_back({pid, !detached});
    return pid;
  }
  void Stop(pid_t pid) {
    for (auto it = started.begin(); it != started.end(); ++it) {
      if (it->first != pid) continue;
      ::kill(pid, SIGKILL);
      if (it->second) ::waitpid(pid, nullptr, 0);
      started.erase(it);
      return;
    }
  }
  ~LookAlikes() {
    while (!started.empty()) Stop(started.front().first);
  }
};

// The hostile round: one unrelated process named eofzero-record failed 6
// tests, because ExpectNoServerLeft counted every one on the machine. What
// a test waits for is its own runs' leftovers: its children (it is their
// subreaper), never another program's process, whatever its name.
TEST(Harness, OnlyWhatThisTestsRunsLeftIsALeftover) {
  Workdir wd, elsewhere;
  LookAlikes look_alikes;
  const pid_t unrelated = look_alikes.Start(elsewhere.path(), true);
  ASSERT_GT(unrelated, 0);
  EXPECT_TRUE(LeftoverProcesses().empty()) << "an unrelated process was counted";
  // The positive control: a process this test started and left running.
  const pid_t child = look_alikes.Start(wd.path(), false);
  ASSERT_GT(child, 0);
  const std::vector<std::string> left = LeftoverProcesses();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0], std::to_string(child) + " (eofzero-record)");
  look_alikes.Stop(child);
  look_alikes.Stop(unrelated);
  ExpectNoServerLeft();
  EXPECT_TRUE(LeftoverProcesses().empty());
}

}  // namespace
}  // namespace eofzero::itest
