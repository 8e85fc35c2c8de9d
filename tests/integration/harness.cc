#include "harness.h"

#include <fcntl.h>
#include <linux/loop.h>
#include <poll.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include "os/file_io.h"
#include "os/process.h"
#include "os/test_hold.h"
#include "os/unique_fd.h"

extern char** environ;

namespace eofzero::itest {
namespace fs = std::filesystem;

namespace {

// Everything a test's runs leave behind becomes the test's child when its
// parent ends, so that the test can wait for it (WaitForLeftoverProcesses).
const bool kSubreaper = ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;

using Clock = std::chrono::steady_clock;

int MillisecondsLeft(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left > 0 ? static_cast<int>(left) : 0;
}

Clock::time_point Backstop() { return Clock::now() + std::chrono::seconds(kBackstopSeconds); }

int PidFd(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

// Polls `fds` until one is ready or the deadline passes (false).
bool PollUntil(std::vector<pollfd>& fds, Clock::time_point deadline) {
  while (true) {
    const int n = ::poll(fds.data(), fds.size(), MillisecondsLeft(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return false;
  }
}

// Blocks until `pid` has ended (true), or the deadline passes.
bool WaitForPidfd(int pidfd, Clock::time_point deadline) {
  std::vector<pollfd> fds = {{pidfd, POLLIN, 0}};
  return PollUntil(fds, deadline);
}

void ReadStatus(int status, Ran& ran) {
  if (WIFEXITED(status)) ran.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) ran.term_signal = WTERMSIG(status);
}

}  // namespace

bool IsRoot() { return ::geteuid() == 0; }

Ran RunEofzero(const std::vector<std::string>& args) { return RunEofzeroWithEnv({}, args); }

Ran RunEofzeroWithEnv(const std::vector<std::string>& env, const std::vector<std::string>& args) {
  std::vector<std::string> argv;
  if (!env.empty()) argv.push_back("env");  // env(1) execs the binary in its place
  argv.insert(argv.end(), env.begin(), env.end());
  argv.push_back(EOFZERO_BINARY);
  argv.insert(argv.end(), args.begin(), args.end());
  Ran ran;
  auto r = os::RunProcess(argv);
  if (!r) {
    ran.err = r.error().Message();
    return ran;
  }
  ran.exit_code = r->exit_code;
  ran.term_signal = r->term_signal;
  ran.out = r->out;
  ran.err = r->err;
  return ran;
}

namespace {

// Starts eofzero with one of its outputs on a pipe (returned) and the other on
// /dev/null.
pid_t Spawn(const std::vector<std::string>& args, int piped_fd, int* read_end) {
  int p[2];
  if (::pipe(p) < 0) return -1;
  pid_t pid = ::fork();
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, piped_fd == STDOUT_FILENO ? STDERR_FILENO : STDOUT_FILENO);
    ::dup2(p[1], piped_fd);
    ::close(p[0]);
    std::vector<char*> argv = {const_cast<char*>(EOFZERO_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(EOFZERO_BINARY, argv.data());
    ::_exit(127);
  }
  ::close(p[1]);
  *read_end = p[0];
  return pid;
}

void Reap(pid_t pid, Ran& ran) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  ReadStatus(status, ran);
}

}  // namespace

Ran RunEofzeroWithTimeout(const std::vector<std::string>& args, int seconds) {
  Ran ran;
  int out[2], err[2];
  if (::pipe(out) < 0 || ::pipe(err) < 0) return ran;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    for (int fd : {out[0], out[1], err[0], err[1]}) ::close(fd);
    std::vector<char*> argv = {const_cast<char*>(EOFZERO_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(EOFZERO_BINARY, argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* sinks[2] = {&ran.out, &ran.err};
  for (int open = 2; open > 0;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ran.timed_out = true;
      ::kill(pid, SIGKILL);
      break;
    }
    if (::poll(fds, 2, static_cast<int>(left.count())) <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else {
        fds[i].fd = -1;
        --open;
      }
    }
  }
  ::close(out[0]);
  ::close(err[0]);
  Reap(pid, ran);
  return ran;
}

HeldRun::HeldRun(const std::vector<std::string>& args, const std::string& point,
                 const std::vector<std::string>& env)
    : point_(point) {
  std::string tmpl = "/tmp/eofzero-hold.XXXXXX";
  if (!::mkdtemp(tmpl.data())) {
    ADD_FAILURE() << "mkdtemp: " << std::strerror(errno);
    return;
  }
  dir_ = tmpl;
  const std::string socket = (dir_ / "hold.sock").string();
  listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, socket.c_str(), sizeof address.sun_path - 1);
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) ||
      ::listen(listener_, 16)) {
    ADD_FAILURE() << "listen on " << socket << ": " << std::strerror(errno);
    return;
  }
  // This process's environment, with the hold and `env` in place of theirs.
  std::vector<std::string> environment = env;
  environment.push_back(std::string(os::kTestHoldVariable) + "=" + socket + ":" + point);
  const auto replaced = [&](std::string_view entry) {
    for (std::size_t i = 0; i < env.size() + 1; ++i) {
      const std::string& mine = environment[i];
      if (entry.starts_with(mine.substr(0, mine.find('=') + 1))) return true;
    }
    return false;
  };
  for (char** e = environ; *e; ++e)
    if (!replaced(*e)) environment.emplace_back(*e);
  std::vector<char*> envp, argv = {const_cast<char*>(EOFZERO_BINARY)};
  for (auto& e : environment) envp.push_back(e.data());
  envp.push_back(nullptr);
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, (dir_ / "out").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, (dir_ / "err").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int rc = ::posix_spawn(&pid_, EOFZERO_BINARY, &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    pid_ = -1;
    ADD_FAILURE() << "spawn " << EOFZERO_BINARY << ": " << std::strerror(rc);
    return;
  }
  pidfd_ = PidFd(pid_);
  if (pidfd_ < 0) ADD_FAILURE() << "pidfd_open " << pid_ << ": " << std::strerror(errno);
}

HeldRun::~HeldRun() {
  Release();
  if (listener_ >= 0) ::close(listener_);
  listener_ = -1;
  if (pid_ > 0 && !reaped_) {
    ::kill(pid_, SIGTERM);  // it releases what it made
    if (!WaitForPidfd(pidfd_, Backstop())) ::kill(pid_, SIGKILL);
    int status;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (pidfd_ >= 0) ::close(pidfd_);
  std::error_code ec;
  if (!dir_.empty()) fs::remove_all(dir_, ec);
}

std::optional<HeldRun::Held> HeldRun::Accept(bool keep_listening, bool fail_when_ended) {
  if (listener_ < 0 || pidfd_ < 0) {
    ADD_FAILURE() << "the run was not started, or no longer listened to";
    return std::nullopt;
  }
  Release();
  std::vector<pollfd> fds = {{listener_, POLLIN, 0}, {pidfd_, POLLIN, 0}};
  if (!PollUntil(fds, Backstop())) {
    ADD_FAILURE() << "the run did not reach '" << point_ << "' in " << kBackstopSeconds
                  << " s (a backstop); its stderr:\n"
                  << Err();
    return std::nullopt;
  }
  if (!(fds[0].revents & POLLIN)) {
    if (fail_when_ended)
      ADD_FAILURE() << "the run ended before it reached '" << point_ << "'; its stderr:\n" << Err();
    return std::nullopt;
  }
  held_ = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
  if (held_ < 0) {
    ADD_FAILURE() << "accept: " << std::strerror(errno);
    return std::nullopt;
  }
  if (!keep_listening) {
    ::close(listener_);  // later points, and other processes, go on at once
    listener_ = -1;
  }
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = ::read(held_, buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  const auto newline = text.find('\n');
  if (newline == std::string::npos) {
    ADD_FAILURE() << "the held process said '" << text << "', not PID\\nMESSAGE";
    return std::nullopt;
  }
  return Held{std::stoi(text.substr(0, newline)), text.substr(newline + 1)};
}

std::optional<HeldRun::Held> HeldRun::WaitHeld(bool keep_listening) {
  return Accept(keep_listening, true);
}

std::optional<HeldRun::Held> HeldRun::NextHold() { return Accept(true, false); }

void HeldRun::Release() {
  if (held_ >= 0) ::close(held_);
  held_ = -1;
}

Ran HeldRun::Wait() {
  Ran ran;
  Release();
  if (listener_ >= 0) ::close(listener_);
  listener_ = -1;
  if (pid_ <= 0 || reaped_) return ran;
  if (!WaitForPidfd(pidfd_, Backstop())) {
    ADD_FAILURE() << "the run did not end in " << kBackstopSeconds << " s (a backstop): killed";
    ran.timed_out = true;
    ::kill(pid_, SIGKILL);
  }
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  ReadStatus(status, ran);
  ran.out = ReadFile(dir_ / "out");
  ran.err = Err();
  return ran;
}

std::string HeldRun::Err() const { return ReadFile(dir_ / "err"); }

os::ProcessResult WaitFor(os::Child& child) {
  const int pidfd = PidFd(child.pid());
  if (pidfd >= 0) {
    if (!WaitForPidfd(pidfd, Backstop())) {
      ADD_FAILURE() << "pid " << child.pid() << " did not end in " << kBackstopSeconds
                    << " s (a backstop): killed";
      child.Kill();
      WaitForPidfd(pidfd, Backstop());
    }
    ::close(pidfd);
  }
  return child.Poll().value_or(os::ProcessResult{});
}

Started StartAndReadUntil(const std::vector<std::string>& argv, const fs::path& fifo,
                          const std::string& text) {
  Started started;
  if (::mkfifo(fifo.c_str(), 0600) < 0) {
    ADD_FAILURE() << "mkfifo " << fifo << ": " << std::strerror(errno);
    return started;
  }
  // The reader first (without waiting for a writer), so the child's open
  // does not wait for it.
  auto reader = os::OpenFile(fifo, O_RDONLY | O_NONBLOCK);
  if (!reader) {
    ADD_FAILURE() << reader.error().Message();
    return started;
  }
  auto child = os::Child::Start(argv, fifo);  // returns once the child has it open
  if (!child) {
    ADD_FAILURE() << child.error().Message();
    return started;
  }
  started.child.emplace(std::move(*child));
  const auto deadline = Backstop();
  std::vector<pollfd> fds = {{reader->get(), POLLIN, 0}};
  while (started.said.find(text) == std::string::npos) {
    if (!PollUntil(fds, deadline)) {
      ADD_FAILURE() << "'" << text << "' did not show in " << kBackstopSeconds
                    << " s (a backstop): " << started.said;
      return started;
    }
    char buf[4096];
    const ssize_t n = ::read(reader->get(), buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) {
      ADD_FAILURE() << "the output ended before '" << text << "': " << started.said;
      return started;
    }
    started.said.append(buf, static_cast<std::size_t>(n));
  }
  started.seen = true;
  return started;
}

void WaitForExitOf(pid_t pid) {
  const int pidfd = PidFd(pid);
  if (pidfd < 0) return;  // gone already
  if (!WaitForPidfd(pidfd, Backstop()))
    ADD_FAILURE() << "pid " << pid << " did not end in " << kBackstopSeconds << " s (a backstop)";
  ::close(pidfd);
}

Ran RunEofzeroAndInterrupt(const std::vector<std::string>& args, const std::string& point,
                           int signo) {
  HeldRun run(args, point);
  auto held = run.WaitHeld();
  if (held) {
    EXPECT_EQ(held->pid, run.pid()) << "held: " << held->message;
    ::kill(run.pid(), signo);
  }
  Ran ran = run.Wait();
  ran.marker_seen = held.has_value();
  return ran;
}

Ran RunMatrixKillingAWorker(const std::vector<std::string>& args,
                            const std::vector<std::string>& env) {
  HeldRun matrix(args, "mounted /dev/loop", env);
  auto held = matrix.WaitHeld();
  bool killed = false;
  if (held) {
    EXPECT_NE(held->pid, matrix.pid()) << "the matrix itself mounts nothing: " << held->message;
    killed = held->pid != matrix.pid() && ::kill(held->pid, SIGKILL) == 0;
  }
  Ran ran = matrix.Wait();
  ran.marker_seen = killed;
  return ran;
}

std::string StepPoint(const std::string& case_name, const std::string& step) {
  std::istringstream in(ReadFile(fs::path(EOFZERO_SOURCE_DIR) / "cases" / (case_name + ".toml")));
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    line = line.substr(0, line.find('#'));
    const auto first = line.find_first_not_of(" \t"), last = line.find_last_not_of(" \t\r");
    if (first != std::string::npos && line.substr(first, last - first + 1) == step)
      return case_name + ":" + std::to_string(number) + ": " + step;
  }
  ADD_FAILURE() << "no step '" << step << "' in cases/" << case_name << ".toml";
  return case_name + ": " + step;
}

Ran RunEofzeroClosingStdoutEarly(const std::vector<std::string>& args) {
  Ran ran;
  int fd = -1;
  pid_t pid = Spawn(args, STDOUT_FILENO, &fd);
  if (pid < 0) return ran;
  char c;
  while (::read(fd, &c, 1) == 1) {
    ran.out += c;
    if (c == '\n') break;
  }
  ran.marker_seen = !ran.out.empty();
  ::close(fd);
  Reap(pid, ran);
  return ran;
}

Workdir::Workdir() {
  std::string tmpl = "/var/tmp/eofzero-itest.XXXXXX";
  if (::mkdtemp(tmpl.data())) path_ = tmpl;
}

Workdir::~Workdir() {
  if (path_.empty()) return;
  for (const auto& m : MountsUnder(path_)) ::umount2(m.c_str(), MNT_DETACH);
  for (const auto& dev : LoopDevicesBackedUnder(path_)) {
    int fd = ::open(dev.c_str(), O_RDONLY);
    if (fd >= 0) {
      ::ioctl(fd, LOOP_CLR_FD, 0);
      ::close(fd);
    }
  }
  if (MountsUnder(path_).empty()) {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
}

std::vector<std::string> Workdir::Contents() const {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(path_, ec)) out.push_back(e.path());
  return out;
}

std::vector<std::string> LoopDevicesBackedUnder(const fs::path& dir) {
  std::vector<std::string> out;
  const std::string prefix = dir.string() + "/";
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/sys/block", ec)) {
    std::ifstream in(e.path() / "loop" / "backing_file");
    std::string backing;
    if (in && std::getline(in, backing) && backing.rfind(prefix, 0) == 0)
      out.push_back("/dev/" + e.path().filename().string());
  }
  return out;
}

std::vector<std::string> MountsUnder(const fs::path& dir) {
  std::vector<std::string> out;
  const std::string prefix = dir.string() + "/";
  std::ifstream in("/proc/self/mountinfo");
  for (std::string line; std::getline(in, line);) {
    std::istringstream ls(line);
    std::string id, parent, devno, root, mount_point;
    ls >> id >> parent >> devno >> root >> mount_point;
    if (mount_point.rfind(prefix, 0) == 0) out.push_back(mount_point);
  }
  return out;
}

std::vector<std::string> RunFoldersUnder(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec))
    if (e.is_directory() && e.path().filename().string().starts_with("eofzero."))
      out.push_back(e.path());
  return out;
}

namespace {

struct ProcessStat {
  pid_t pid = -1;
  std::string comm;
  char state = '?';
  pid_t ppid = -1;
};

std::optional<ProcessStat> StatOf(const std::string& pid) {
  auto text = os::ReadTextFile("/proc/" + pid + "/stat");
  if (!text) return std::nullopt;
  // "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses.
  const auto open = text->find('('), close = text->rfind(')');
  if (open == std::string::npos || close == std::string::npos) return std::nullopt;
  ProcessStat st;
  st.pid = std::stoi(text->substr(0, open));
  st.comm = text->substr(open + 1, close - open - 1);
  std::istringstream rest(text->substr(close + 1));
  rest >> st.state >> st.ppid;
  return st;
}

std::vector<ProcessStat> ChildrenOfThisProcess() {
  std::vector<ProcessStat> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string name = e.path().filename();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    auto st = StatOf(name);
    if (st && st->ppid == ::getpid()) out.push_back(*st);
  }
  return out;
}

}  // namespace

void WaitForLeftoverProcesses() {
  EXPECT_TRUE(kSubreaper) << "PR_SET_CHILD_SUBREAPER failed: leftovers cannot be waited for";
  const auto deadline = Backstop();
  while (true) {
    std::vector<pollfd> live;
    std::string names;
    for (const auto& child : ChildrenOfThisProcess()) {
      if (child.state == 'Z') {
        ::waitpid(child.pid, nullptr, WNOHANG);  // ended: reaped
        continue;
      }
      const int pidfd = PidFd(child.pid);
      if (pidfd < 0) continue;  // ended just now
      live.push_back({pidfd, POLLIN, 0});
      names += " " + std::to_string(child.pid) + " (" + child.comm + ")";
    }
    if (live.empty()) return;
    const bool one_ended = PollUntil(live, deadline);
    for (const auto& p : live) ::close(p.fd);
    if (!one_ended) {
      ADD_FAILURE() << "still running after " << kBackstopSeconds << " s (a backstop):" << names;
      return;
    }
  }
}

std::vector<std::string> LeftoverProcesses() {
  std::vector<std::string> out;
  for (const auto& child : ChildrenOfThisProcess())
    if (child.state != 'Z') out.push_back(std::to_string(child.pid) + " (" + child.comm + ")");
  return out;
}

void ExpectNoServerLeft() {
  // A server left running fails the wait, by name (eofzero-record).
  WaitForLeftoverProcesses();
}

void ExpectNothingLeft(const Workdir& wd) {
  // What a killed run left, its guardian has released once it has ended.
  WaitForLeftoverProcesses();
  // A loop device is detached at its last close (autoclear): a process that
  // is not the test's (a blkid, another run looking at devices) can hold it
  // open a moment longer. Nothing of ours acts any more; the wait ends as
  // soon as the kernel has detached it, and its bound only fails.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!LoopDevicesBackedUnder(wd.path()).empty() && MillisecondsLeft(deadline) > 0)
    ::usleep(20 * 1000);
  EXPECT_EQ(LoopDevicesBackedUnder(wd.path()), std::vector<std::string>{}) << "leaked loop device";
  EXPECT_EQ(MountsUnder(wd.path()), std::vector<std::string>{}) << "leaked mount";
  EXPECT_EQ(RunFoldersUnder(wd.path()), std::vector<std::string>{}) << "leaked run folder";
}

os::Result<os::LoopDevice> AttachScratchImage(const Workdir& wd, const std::string& name,
                                              std::uint64_t bytes) {
  const fs::path image = wd.path() / name;
  {
    EOFZERO_ASSIGN_OR_RETURN(os::UniqueFd fd, os::OpenFile(image, O_RDWR | O_CREAT | O_EXCL, 0600));
    EOFZERO_RETURN_IF_ERROR(os::Truncate(fd.get(), bytes, image));
  }
  return os::LoopDevice::Attach(image, 0);
}

void ReleaseScratchImage(std::optional<os::LoopDevice>& loop, const Workdir& wd) {
  if (!loop) return;
  EXPECT_TRUE(MountsUnder(wd.path()).empty()) << "the scratch device was left mounted";
  auto detached = loop->Detach();
  EXPECT_TRUE(detached) << detached.error().Message();
  loop.reset();
  ExpectNothingLeft(wd);
}

void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> LinesStartingWith(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0) out.push_back(line);
  return out;
}

int CountOccurrences(const std::string& text, const std::string& needle) {
  int n = 0;
  for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
    ++n;
  return n;
}

}  // namespace eofzero::itest
