#include "harness.h"

#include <fcntl.h>
#include <linux/loop.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <fstream>
#include <sstream>

#include "os/file_io.h"
#include "os/process.h"
#include "os/unique_fd.h"

namespace eofzero::itest {
namespace fs = std::filesystem;

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
  if (WIFEXITED(status)) ran.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) ran.term_signal = WTERMSIG(status);
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

Ran RunEofzeroAndInterrupt(const std::vector<std::string>& args, const std::string& marker,
                           int signo) {
  Ran ran;
  int fd = -1;
  pid_t pid = Spawn(args, STDERR_FILENO, &fd);
  if (pid < 0) return ran;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) {
    ran.err.append(buf, static_cast<std::size_t>(n));
    if (!ran.marker_seen && ran.err.find(marker) != std::string::npos) {
      ran.marker_seen = true;
      ::kill(pid, signo);
    }
  }
  ::close(fd);
  Reap(pid, ran);
  return ran;
}

Ran RunMatrixKillingAWorker(const std::vector<std::string>& args, const fs::path& dir) {
  Ran ran;
  int fd = -1;
  pid_t pid = Spawn(args, STDERR_FILENO, &fd);
  if (pid < 0) return ran;
  const std::string marker = " runs as pid ";
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) {
    ran.err.append(buf, static_cast<std::size_t>(n));
    const auto at = ran.err.find(marker);
    if (ran.marker_seen || at == std::string::npos ||
        ran.err.find('\n', at) == std::string::npos)
      continue;
    const pid_t worker = std::stoi(ran.err.substr(at + marker.size()));
    for (int i = 0; i < 400 && !ran.marker_seen; ++i) {  // up to 20 s
      std::ifstream mounts("/proc/" + std::to_string(worker) + "/mountinfo");
      std::stringstream text;
      text << mounts.rdbuf();
      if (text.str().find(dir.string()) != std::string::npos) {
        ran.marker_seen = ::kill(worker, SIGKILL) == 0;
        break;
      }
      ::usleep(50 * 1000);
    }
  }
  ::close(fd);
  Reap(pid, ran);
  return ran;
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

// The parent and state of process `pid` from /proc/PID/stat ("pid (comm) S ppid ...").
std::optional<std::pair<pid_t, char>> ParentAndState(pid_t pid) {
  auto stat = os::ReadTextFile("/proc/" + std::to_string(pid) + "/stat");
  if (!stat) return std::nullopt;
  std::istringstream rest(stat->substr(stat->rfind(')') + 1));
  char state = 0;
  pid_t ppid = 0;
  if (!(rest >> state >> ppid)) return std::nullopt;
  return std::pair{ppid, state};
}

bool DescendsFromThisProcess(pid_t pid) {
  for (int depth = 0; pid > 1 && depth < 64; ++depth) {
    auto up = ParentAndState(pid);
    if (!up) return false;
    if (up->first == ::getpid()) return true;
    pid = up->first;
  }
  return false;
}

// Whether an argument of `pid`'s command line is `dir` or a path inside it.
bool CommandLineNames(pid_t pid, const fs::path& dir) {
  auto cmdline = os::ReadTextFile("/proc/" + std::to_string(pid) + "/cmdline");
  if (!cmdline) return false;
  std::istringstream args(*cmdline);
  const std::string d = dir.string();
  for (std::string arg; std::getline(args, arg, '\0');) {
    for (std::size_t at = arg.find(d); at != std::string::npos; at = arg.find(d, at + 1)) {
      const std::size_t end = at + d.size();
      if (end == arg.size() || arg[end] == '/') return true;
    }
  }
  return false;
}

}  // namespace

int RecordingServers(const Workdir& wd) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    pid_t pid = 0;
    const std::string name = e.path().filename().string();
    auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (ec != std::errc() || end != name.data() + name.size()) continue;
    auto comm = os::ReadTextFile(e.path() / "comm");
    if (!comm || *comm != "eofzero-record\n") continue;
    auto up = ParentAndState(pid);
    if (!up || up->second == 'Z') continue;  // gone, or ended and not yet reaped
    n += DescendsFromThisProcess(pid) || CommandLineNames(pid, wd.path());
  }
  return n;
}

void ExpectNoServerLeft(const Workdir& wd) {
  for (int i = 0; i < 100 && RecordingServers(wd) > 0; ++i) ::usleep(50 * 1000);
  EXPECT_EQ(RecordingServers(wd), 0) << "a FUSE server was left running";
}

void ExpectNothingLeft(const Workdir& wd) {
  // What a killed process leaves, its guardian releases a moment later.
  for (int i = 0; i < 100; ++i) {
    if (LoopDevicesBackedUnder(wd.path()).empty() && MountsUnder(wd.path()).empty() &&
        RunFoldersUnder(wd.path()).empty())
      break;
    ::usleep(50 * 1000);
  }
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
