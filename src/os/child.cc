#include "os/child.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <utility>

extern char** environ;

namespace eofzero::os {

Result<Child> Child::Start(const std::vector<std::string>& argv, const std::filesystem::path& log) {
  if (argv.empty()) return Fail(ErrorKind::kInvalid, "Child::Start: empty argv");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  Child child;
  int rc = ::posix_spawnp(&child.pid_, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return FailErrno("spawn " + argv[0], rc);
  child.argv_ = argv;
  return child;
}

Child::Child(Child&& other) noexcept
    : argv_(std::move(other.argv_)),
      pid_(std::exchange(other.pid_, -1)),
      result_(std::move(other.result_)) {}

Child& Child::operator=(Child&& other) noexcept {
  if (this != &other) {
    StopAndReap();
    argv_ = std::move(other.argv_);
    pid_ = std::exchange(other.pid_, -1);
    result_ = std::move(other.result_);
  }
  return *this;
}

std::optional<ProcessResult> Child::Poll() {
  if (result_ || pid_ < 0) return result_;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == 0 || (r < 0 && errno == EINTR)) return std::nullopt;
  ProcessResult result;
  result.argv = argv_;
  if (r > 0 && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (r > 0 && WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  if (r < 0) result.err = "waitpid failed";
  result_ = result;
  return result_;
}

void Child::Terminate() {
  if (pid_ > 0 && !result_) ::kill(pid_, SIGTERM);
}

void Child::Kill() {
  if (pid_ > 0 && !result_) ::kill(pid_, SIGKILL);
}

Child::~Child() { StopAndReap(); }

void Child::StopAndReap() {
  if (pid_ <= 0 || result_) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

Status BecomeWorker() {
  if (::prctl(PR_SET_PDEATHSIG, SIGTERM) < 0) return FailErrno("prctl PR_SET_PDEATHSIG");
  if (::getppid() == 1) ::raise(SIGTERM);  // the parent is already gone
  return {};
}

Result<std::filesystem::path> SelfExecutable() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return Fail(ErrorKind::kSystem, "readlink /proc/self/exe: " + ec.message());
  return p;
}

}  // namespace eofzero::os
