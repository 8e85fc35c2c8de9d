// FuseFileServer: one file served through FUSE (libfuse3's low-level API) by
// a child process of this one, backed by a file this process opened. A loop
// device attached to the served file (direct I/O off) passes every block
// write, flush (as FSYNC) and discard/zero-range (as FALLOCATE) through the
// server, in order; the server applies each to the backing file and tells a
// FileEvents — in the child, in the order the kernel sent them.
//
// The server lives exactly as long as its mount: it ends when the mount is
// unmounted (Stop, or whoever releases what a killed owner left: the
// guardian, scratch/reclaim.h), never on its owner's death alone — a loop
// device and a filesystem above it may still need it to be released cleanly.
// It ignores the terminal's signals (SIGINT goes to the owner, which unwinds
// and calls Stop), holds none of the owner's descriptors but the ones it
// needs, and has stdin/stdout/stderr on /dev/null.
#pragma once

#include <sys/statvfs.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "os/bytes.h"
#include "os/error.h"
#include "os/fuse_watchdog.h"

namespace eofzero::os {

// What the server saw, after it applied it to the backing file. A false
// return fails the request with EIO (the kernel sees an I/O error) and makes
// the server exit with status 1.
class FileEvents {
 public:
  virtual ~FileEvents() = default;
  virtual bool Wrote(std::uint64_t offset, ByteView data) = 0;
  virtual bool Synced(bool datasync) = 0;
  virtual bool Fallocated(int mode, std::uint64_t offset, std::uint64_t length) = 0;
  // The mount is gone: the last call.
  virtual bool Closing() = 0;
};

// What the served file's bytes are: a file (FdBacking), or anything else that
// can be read and written (a crash state in layers: scratch/state_image.h).
// Called in the server only. Each returns 0 (or, for Read, the count) or an
// errno, negated for Read.
class FileBacking {
 public:
  virtual ~FileBacking() = default;
  virtual std::uint64_t size() const = 0;
  virtual std::int64_t Read(std::uint64_t offset, std::span<std::uint8_t> out) = 0;
  virtual int Write(std::uint64_t offset, ByteView data) = 0;
  virtual int Fallocate(int mode, std::uint64_t offset, std::uint64_t length) = 0;
  // The figures of the filesystem the bytes live on (a loop device takes its
  // discard granularity from f_bsize).
  virtual int StatFs(struct statvfs& out) = 0;
  // Become the `which`-th of the contents it can be (SelectServed): a series
  // of crash states (scratch/state_image.h). ENOTTY for a plain backing.
  virtual int Select(std::uint64_t /*which*/) { return ENOTTY; }
};

// The first `size` bytes of the open file `fd` (not owned).
class FdBacking : public FileBacking {
 public:
  FdBacking(int fd, std::uint64_t size) : fd_(fd), size_(size) {}
  std::uint64_t size() const override { return size_; }
  std::int64_t Read(std::uint64_t offset, std::span<std::uint8_t> out) override;
  int Write(std::uint64_t offset, ByteView data) override;
  int Fallocate(int mode, std::uint64_t offset, std::uint64_t length) override;
  int StatFs(struct statvfs& out) override;

 private:
  int fd_;
  std::uint64_t size_;
};

// Events nobody needs (a crash state's server): every one is fine.
class NoFileEvents : public FileEvents {
 public:
  bool Wrote(std::uint64_t, ByteView) override { return true; }
  bool Synced(bool) override { return true; }
  bool Fallocated(int, std::uint64_t, std::uint64_t) override { return true; }
  bool Closing() override { return true; }
};

// Asks the server of `served_file` to make its backing Select(`which`), and
// waits until it has. Nothing may have the file's old contents cached (the
// file is direct I/O; drop a loop device's cache over it afterwards).
Status SelectServed(const std::string& served_file, std::uint64_t which);

// The fstype a served file's mount has in the mount table.
inline constexpr const char* kFuseServerFsType = "fuse.eofzero-record";

// How long a server may leave a request unanswered before its connection is
// aborted (os/fuse_watchdog.h), unless told otherwise.
inline constexpr std::chrono::milliseconds kDefaultAnswerDeadline{30000};

class FuseFileServer {
 public:
  // Mounts a FUSE filesystem on `mount_dir` (an empty folder) whose one file
  // `name` is `backing`, served by a forked child that keeps `keep_fds` open
  // (and no other of this process's descriptors: the backing's and the
  // events' must be among them) and calls `events`. Call it while no other
  // thread of this process can hold a lock the child needs (the only threads
  // are other servers' watchdogs, which take none of the child's). Returns
  // once the mount is there, watched (os/fuse_watchdog.h): a request left
  // unanswered for `answer_deadline` aborts the connection.
  static Result<FuseFileServer> Start(const std::string& mount_dir, const std::string& name,
                                      FileBacking& backing, FileEvents& events,
                                      const std::vector<int>& keep_fds,
                                      std::chrono::milliseconds answer_deadline =
                                          kDefaultAnswerDeadline);
  FuseFileServer(FuseFileServer&& other) noexcept;
  FuseFileServer& operator=(FuseFileServer&&) = delete;
  // Stop(), warning on failure.
  ~FuseFileServer();

  std::string file_path() const { return mount_dir_ + "/" + name_; }
  const std::string& mount_dir() const { return mount_dir_; }
  pid_t pid() const { return pid_; }
  // Why the watchdog aborted the server's connection (it left a request
  // unanswered: every request to it fails since), or "" while it answers.
  std::string Unanswered() const;
  // Unmounts (retrying while the file is still in use, e.g. by a loop device
  // being released; lazily as a last resort) and waits for the server to
  // end. An error when the server reported a failure, stopped answering, or
  // had to be killed (one that stopped answering is killed at once).
  Status Stop();

 private:
  FuseFileServer(std::string mount_dir, std::string name, pid_t pid)
      : mount_dir_(std::move(mount_dir)), name_(std::move(name)), pid_(pid) {}
  std::string mount_dir_;
  std::string name_;
  pid_t pid_ = -1;
  std::unique_ptr<FuseWatchdog> watchdog_;
};

// Unmounts the served-file mount on `target` (nothing when what is mounted
// there is not one): waits up to `busy_wait_ms` while it is busy, then
// detaches it lazily. True when something was unmounted. For releasing what
// a killed owner left.
Result<bool> UnmountFuseServerMount(const std::string& target, int busy_wait_ms);

}  // namespace eofzero::os
