#include "os/fuse_watchdog.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/mount.h>
#include <sys/statfs.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "os/file_io.h"

namespace eofzero::os {
namespace {

std::int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string Duration(std::chrono::milliseconds d) {
  return d.count() % 1000 ? std::to_string(d.count()) + " ms"
                          : std::to_string(d.count() / 1000) + " s";
}

// How often the server is asked: a few times per deadline, at most once a second.
std::chrono::milliseconds Period(std::chrono::milliseconds deadline) {
  return std::clamp(deadline / 4, std::chrono::milliseconds(20), std::chrono::milliseconds(1000));
}

}  // namespace

std::string ProcessStateOf(pid_t pid) {
  auto stat = ReadTextFile("/proc/" + std::to_string(pid) + "/stat");
  const auto paren = stat ? stat->rfind(')') : std::string::npos;
  if (paren == std::string::npos || paren + 2 >= stat->size()) return "gone";
  const char state = (*stat)[paren + 2];
  const char* name = "unknown";
  switch (state) {
    case 'R': name = "running"; break;
    case 'S': name = "sleeping"; break;
    case 'D': name = "waiting in the kernel"; break;
    case 'T': name = "stopped"; break;
    case 't': name = "stopped by a tracer"; break;
    case 'Z': name = "a zombie"; break;
    case 'X': name = "dead"; break;
    default: break;
  }
  return std::string(1, state) + " (" + name + ")";
}

std::unique_ptr<FuseWatchdog> FuseWatchdog::Start(std::string mount_dir, pid_t server,
                                                  std::chrono::milliseconds deadline) {
  std::unique_ptr<FuseWatchdog> dog(new FuseWatchdog(std::move(mount_dir), server, deadline));
  sigset_t all, old;
  ::sigfillset(&all);
  ::pthread_sigmask(SIG_BLOCK, &all, &old);  // the threads inherit it
  dog->asker_ = std::thread([d = dog.get()] { d->Ask(); });
  dog->watcher_ = std::thread([d = dog.get()] { d->Watch(); });
  ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return dog;
}

FuseWatchdog::~FuseWatchdog() { Stop(); }

std::string FuseWatchdog::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (asker_.joinable()) asker_.join();  // the watcher aborts a question past its deadline
  if (watcher_.joinable()) watcher_.join();
  return Fired();
}

std::string FuseWatchdog::Fired() const {
  std::lock_guard lock(mu_);
  return fired_;
}

void FuseWatchdog::Ask() {
  std::unique_lock lock(mu_);
  while (!stopping_ && fired_.empty()) {
    lock.unlock();
    asked_at_ = NowNs();
    struct statfs st {};
    ::statfs(mount_dir_.c_str(), &st);  // an error is an answer too
    asked_at_ = 0;
    lock.lock();
    cv_.wait_for(lock, Period(deadline_), [&] { return stopping_ || !fired_.empty(); });
  }
  asking_done_ = true;
  cv_.notify_all();
}

void FuseWatchdog::Watch() {
  std::unique_lock lock(mu_);
  while (!asking_done_) {
    cv_.wait_for(lock, Period(deadline_), [&] { return asking_done_; });
    const std::int64_t asked = asked_at_;
    if (asking_done_ || asked == 0 || !fired_.empty() ||
        NowNs() - asked < std::chrono::nanoseconds(deadline_).count())
      continue;
    fired_ = Abort();
    spdlog::warn("{}: {}", mount_dir_, fired_);
    cv_.notify_all();
  }
}

std::string FuseWatchdog::Abort() const {
  const std::string why = "its FUSE server (pid " + std::to_string(server_) + ", state " +
                          ProcessStateOf(server_) + ") left a request unanswered for " +
                          Duration(deadline_);
  // umount -f: the kernel aborts the connection first, then finds the mount
  // busy (the loop device holds the file) and leaves it mounted.
  if (::umount2(mount_dir_.c_str(), MNT_FORCE | UMOUNT_NOFOLLOW) == 0 || errno == EBUSY)
    return why + "; the run aborted its connection, so every request to it fails";
  return why + "; aborting its connection failed: umount2 MNT_FORCE " + mount_dir_ + ": " +
         std::strerror(errno);
}

}  // namespace eofzero::os
