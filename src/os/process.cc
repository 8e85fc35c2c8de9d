#include "os/process.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <vector>

#include "os/unique_fd.h"

extern char** environ;

namespace eofzero::os {
namespace {

Result<std::pair<UniqueFd, UniqueFd>> MakePipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) return FailErrno("pipe2");
  return std::pair{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// Drains both pipes until the child closes them.
void Drain(int out_fd, int err_fd, std::string& out, std::string& err) {
  pollfd pfds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&out, &err};
  int open = 2;
  char buf[4096];
  while (open > 0) {
    if (::poll(pfds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (int i = 0; i < 2; ++i) {
      if (pfds[i].fd < 0 || !(pfds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(pfds[i].fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        pfds[i].fd = -1;
        --open;
      } else {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      }
    }
  }
}

}  // namespace

std::string ProcessResult::CommandLine() const {
  std::string s;
  for (const auto& a : argv) {
    if (!s.empty()) s += ' ';
    s += a;
  }
  return s;
}

std::string SignalName(int signo) {
  const char* abbrev = signo > 0 ? ::sigabbrev_np(signo) : nullptr;  // "KILL"; null if none
  return abbrev ? std::string("SIG") + abbrev : "";
}

std::string DescribeSignal(int signo) {
  const std::string name = SignalName(signo);
  return "signal " + std::to_string(signo) + (name.empty() ? "" : " (" + name + ")");
}

std::string ProcessResult::Ending() const {
  if (term_signal) return "was killed by " + DescribeSignal(term_signal);
  if (exit_code < 0) return "ended without an exit status";  // waitpid failed
  return "exited " + std::to_string(exit_code);
}

namespace {

// The first lines of a child's output as one line (blank lines dropped, runs
// of blanks made one space, lines joined by " | "), at most kLines lines and
// kChars characters, saying how much was cut.
std::string Excerpt(const std::string& text) {
  constexpr std::size_t kLines = 3, kChars = 300;
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string raw; std::getline(in, raw);) {
    std::string line;
    for (char c : raw) {
      const bool blank = c == ' ' || c == '\t' || c == '\r';
      if (!blank) line += c;
      else if (!line.empty() && line.back() != ' ') line += ' ';
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    if (!line.empty()) lines.push_back(std::move(line));
  }
  std::string shown;
  for (std::size_t i = 0; i < lines.size() && i < kLines; ++i)
    shown += (i ? " | " : "") + lines[i];
  std::vector<std::string> cut;
  if (shown.size() > kChars) {
    cut.push_back(std::to_string(shown.size() - kChars) + " more characters");
    shown = shown.substr(0, kChars) + "...";
  }
  if (lines.size() > kLines) cut.push_back(std::to_string(lines.size() - kLines) + " more lines");
  if (!cut.empty()) shown += " (" + cut[0] + (cut.size() > 1 ? ", " + cut[1] : "") + " cut)";
  return shown;
}

}  // namespace

std::string ProcessResult::Describe() const {
  std::ostringstream os;
  os << CommandLine() << " " << Ending();
  const std::string detail = Excerpt(err.empty() ? out : err);
  if (!detail.empty()) os << ": " << detail;
  return os.str();
}

Result<ProcessResult> RunProcess(const std::vector<std::string>& argv) {
  if (argv.empty()) return Fail(ErrorKind::kInvalid, "RunProcess: empty argv");
  auto out_pipe = MakePipe();
  if (!out_pipe) return std::unexpected(out_pipe.error());
  auto err_pipe = MakePipe();
  if (!err_pipe) return std::unexpected(err_pipe.error());

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe->second.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe->second.get(), STDERR_FILENO);

  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);

  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return FailErrno("spawn " + argv[0], rc);
  out_pipe->second = UniqueFd();
  err_pipe->second = UniqueFd();

  ProcessResult result;
  result.argv = argv;
  Drain(out_pipe->first.get(), err_pipe->first.get(), result.out, result.err);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return FailErrno("waitpid " + argv[0]);
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  return result;
}

std::string KernelRelease() {
  struct utsname u {};
  if (::uname(&u) < 0) return "unknown kernel";
  return std::string(u.release) + " " + u.machine;
}

bool ProgramExists(const std::string& program) { return !ProgramPath(program).empty(); }

std::string ProgramPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/sbin:/usr/bin:/sbin:/bin";
  std::istringstream is(dirs);
  for (std::string dir; std::getline(is, dir, ':');) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

std::uint64_t AvailableMemoryMiB() {
  std::ifstream in("/proc/meminfo");
  for (std::string key; in >> key;) {
    std::uint64_t kib = 0;
    if (key == "MemAvailable:" && in >> kib) return kib / 1024;
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return 0;
}

Status CheckReadWrite(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd.valid()) return FailErrno("open " + path);
  return {};
}

}  // namespace eofzero::os
