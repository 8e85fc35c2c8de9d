// FuseWatchdog: a FUSE server that stops answering (stopped by SIGSTOP,
// deadlocked, over a backing store that hangs) leaves whatever touches its
// file waiting in the kernel for ever, uninterruptibly: the loop device's
// worker, and the run reading a block of the filesystem above it (D state,
// deaf to SIGINT). The watchdog asks the server, from a thread of its own,
// for something it answers at once (statfs of its mount) about once a
// second; when an answer is `deadline` late, it aborts the FUSE connection
// the way `umount -f` does (umount2 MNT_FORCE on the mount point: the
// kernel aborts the connection even when the mount is busy, which it stays).
// Every request pending or to come then fails (ENOTCONN; EIO through the
// loop device), so the run gets its error back and reports it, naming the
// server and its state.
//
// (Linux 6.14+ also has FUSE request timeouts: the fs.fuse.*_request_timeout
// sysctls, system-wide, and a per-connection one a server asks for in its
// INIT reply, which libfuse 3.14 cannot send. The watchdog needs neither.)
#pragma once

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace eofzero::os {

class FuseWatchdog {
 public:
  // Watches the FUSE mount on `mount_dir`, served by process `server`. The
  // threads block every signal (they are the run's, not theirs to handle).
  static std::unique_ptr<FuseWatchdog> Start(std::string mount_dir, pid_t server,
                                             std::chrono::milliseconds deadline);
  FuseWatchdog(const FuseWatchdog&) = delete;
  FuseWatchdog& operator=(const FuseWatchdog&) = delete;
  ~FuseWatchdog();  // Stop()

  // Ends the watch (within the deadline: a question still unanswered is
  // aborted at its deadline) and returns Fired().
  std::string Stop();
  // Why it aborted the connection ("its FUSE server (pid 12, state T
  // (stopped)) left a request unanswered for 30 s; ..."), or "" while it has not.
  std::string Fired() const;

 private:
  FuseWatchdog(std::string mount_dir, pid_t server, std::chrono::milliseconds deadline)
      : mount_dir_(std::move(mount_dir)), server_(server), deadline_(deadline) {}
  void Ask();    // the asking thread
  void Watch();  // the watching thread
  std::string Abort() const;

  const std::string mount_dir_;
  const pid_t server_;
  const std::chrono::milliseconds deadline_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool asking_done_ = false;
  std::string fired_;
  // When the question in flight was asked (steady clock, ns), 0 when none is.
  std::atomic<std::int64_t> asked_at_{0};
  std::thread asker_, watcher_;
};

// "T (stopped)": a process's state as /proc/PID/stat has it, named; "gone"
// when it has none.
std::string ProcessStateOf(pid_t pid);

}  // namespace eofzero::os
