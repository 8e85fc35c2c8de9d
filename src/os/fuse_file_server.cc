#include "os/fuse_file_server.h"

#define FUSE_USE_VERSION 35
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <linux/close_range.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstring>
#include <thread>

#include "os/mount.h"
#include "os/unique_fd.h"

namespace eofzero::os {
namespace {

constexpr fuse_ino_t kFileIno = 2;
// The one ioctl the served file answers (restricted: its argument, a u64,
// is copied in by the kernel).
constexpr unsigned kSelectIoctl = _IOW('E', 0x5e, std::uint64_t);
constexpr unsigned kMaxWrite = 1 << 20;

// The server's state, in the child.
struct Served {
  std::string name;
  FileBacking* backing = nullptr;
  FileEvents* events = nullptr;
  bool failed = false;
  std::vector<char> read_buffer;
};

Served& Of(fuse_req_t req) { return *static_cast<Served*>(fuse_req_userdata(req)); }

struct stat FileStat(const Served& s) {
  struct stat st {};
  st.st_ino = kFileIno;
  st.st_mode = S_IFREG | 0600;
  st.st_nlink = 1;
  st.st_size = static_cast<off_t>(s.backing->size());
  st.st_blksize = 4096;
  st.st_blocks = static_cast<blkcnt_t>((s.backing->size() + 511) / 512);
  return st;
}

struct stat RootStat() {
  struct stat st {};
  st.st_ino = FUSE_ROOT_ID;
  st.st_mode = S_IFDIR | 0700;
  st.st_nlink = 2;
  return st;
}

void Init(void*, fuse_conn_info* conn) {
  conn->max_write = kMaxWrite;
  conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;  // write-through: every write reaches us, in order
}

void Lookup(fuse_req_t req, fuse_ino_t parent, const char* name) {
  const Served& s = Of(req);
  if (parent != FUSE_ROOT_ID || s.name != name) {
    fuse_reply_err(req, ENOENT);
    return;
  }
  fuse_entry_param e{};
  e.ino = kFileIno;
  e.attr = FileStat(s);
  e.attr_timeout = 3600;
  e.entry_timeout = 3600;
  fuse_reply_entry(req, &e);
}

void GetAttr(fuse_req_t req, fuse_ino_t ino, fuse_file_info*) {
  if (ino != FUSE_ROOT_ID && ino != kFileIno) {
    fuse_reply_err(req, ENOENT);
    return;
  }
  const struct stat st = ino == kFileIno ? FileStat(Of(req)) : RootStat();
  fuse_reply_attr(req, &st, 3600);
}

void Open(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  if (ino != kFileIno) {
    fuse_reply_err(req, EISDIR);
    return;
  }
  fi->direct_io = 1;  // no second page cache of the image: reads and writes come here
  fuse_reply_open(req, fi);
}

void Read(fuse_req_t req, fuse_ino_t, size_t size, off_t off, fuse_file_info*) {
  Served& s = Of(req);
  s.read_buffer.resize(std::max(s.read_buffer.size(), size));
  const std::int64_t n = s.backing->Read(
      static_cast<std::uint64_t>(off),
      std::span(reinterpret_cast<std::uint8_t*>(s.read_buffer.data()), size));
  if (n < 0) {
    fuse_reply_err(req, static_cast<int>(-n));
    return;
  }
  fuse_reply_buf(req, s.read_buffer.data(), static_cast<size_t>(n));
}

void Write(fuse_req_t req, fuse_ino_t, const char* buf, size_t size, off_t off, fuse_file_info*) {
  Served& s = Of(req);
  const ByteView data(reinterpret_cast<const std::uint8_t*>(buf), size);
  if (int err = s.backing->Write(static_cast<std::uint64_t>(off), data); err != 0) {
    fuse_reply_err(req, err);
    return;
  }
  if (!s.events->Wrote(static_cast<std::uint64_t>(off), data)) {
    s.failed = true;
    fuse_reply_err(req, EIO);
    return;
  }
  fuse_reply_write(req, size);
}

// The loop device's flush. The backing file is not synced: the host does not
// crash under a test, and the log, not the image, is what must be complete.
void Fsync(fuse_req_t req, fuse_ino_t, int datasync, fuse_file_info*) {
  Served& s = Of(req);
  if (!s.events->Synced(datasync != 0)) {
    s.failed = true;
    fuse_reply_err(req, EIO);
    return;
  }
  fuse_reply_err(req, 0);
}

void Fallocate(fuse_req_t req, fuse_ino_t, int mode, off_t offset, off_t length,
               fuse_file_info*) {
  Served& s = Of(req);
  if (int err = s.backing->Fallocate(mode, static_cast<std::uint64_t>(offset),
                                     static_cast<std::uint64_t>(length));
      err != 0) {
    fuse_reply_err(req, err);
    return;
  }
  if (!s.events->Fallocated(mode, static_cast<std::uint64_t>(offset),
                            static_cast<std::uint64_t>(length))) {
    s.failed = true;
    fuse_reply_err(req, EIO);
    return;
  }
  fuse_reply_err(req, 0);
}

// The backing file's filesystem's figures: a loop device takes its discard
// granularity from them (f_bsize), which must be what it is without us.
void StatFs(fuse_req_t req, fuse_ino_t) {
  struct statvfs st {};
  if (int err = Of(req).backing->StatFs(st); err != 0) {
    fuse_reply_err(req, err);
    return;
  }
  fuse_reply_statfs(req, &st);
}

void Flush(fuse_req_t req, fuse_ino_t, fuse_file_info*) { fuse_reply_err(req, 0); }
void Release(fuse_req_t req, fuse_ino_t, fuse_file_info*) { fuse_reply_err(req, 0); }

void OpenDir(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  if (ino != FUSE_ROOT_ID) {
    fuse_reply_err(req, ENOTDIR);
    return;
  }
  fuse_reply_open(req, fi);
}

void ReadDir(fuse_req_t req, fuse_ino_t, size_t size, off_t off, fuse_file_info*) {
  const Served& s = Of(req);
  std::vector<char> buf(size);
  size_t used = 0;
  const struct stat file = FileStat(s), root = RootStat();
  const std::pair<const char*, const struct stat*> entries[] = {
      {".", &root}, {"..", &root}, {s.name.c_str(), &file}};
  for (off_t i = off; i < 3; ++i) {
    const size_t n = fuse_add_direntry(req, buf.data() + used, size - used, entries[i].first,
                                       entries[i].second, i + 1);
    if (n > size - used) break;
    used += n;
  }
  fuse_reply_buf(req, buf.data(), used);
}

void Ioctl(fuse_req_t req, fuse_ino_t ino, unsigned int cmd, void*, fuse_file_info*, unsigned flags,
           const void* in_buf, size_t in_bufsz, size_t) {
  if (ino != kFileIno || cmd != kSelectIoctl || (flags & FUSE_IOCTL_COMPAT) ||
      in_bufsz != sizeof(std::uint64_t)) {
    fuse_reply_err(req, ENOTTY);
    return;
  }
  std::uint64_t which = 0;
  std::memcpy(&which, in_buf, sizeof which);
  if (int err = Of(req).backing->Select(which); err != 0) {
    fuse_reply_err(req, err);
    return;
  }
  fuse_reply_ioctl(req, 0, nullptr, 0);
}

fuse_lowlevel_ops Operations() {
  fuse_lowlevel_ops ops{};
  ops.init = Init;
  ops.lookup = Lookup;
  ops.getattr = GetAttr;
  ops.open = Open;
  ops.read = Read;
  ops.write = Write;
  ops.fsync = Fsync;
  ops.fallocate = Fallocate;
  ops.flush = Flush;
  ops.statfs = StatFs;
  ops.release = Release;
  ops.opendir = OpenDir;
  ops.readdir = ReadDir;
  ops.ioctl = Ioctl;
  return ops;
}

// In the child: a session of its own, the terminal's signals ignored, stdio
// on /dev/null, and only `keep` of the owner's descriptors (the guardian's
// pipe above all: holding it would keep the guardian from ever waking).
void BecomeServer(std::vector<int> keep) {
  ::setsid();
  if (::chdir("/") < 0) {
  }
  for (int sig : {SIGINT, SIGHUP, SIGPIPE, SIGQUIT}) ::signal(sig, SIG_IGN);
  ::prctl(PR_SET_NAME, "eofzero-record", 0, 0, 0);
  int null = ::open("/dev/null", O_RDWR);
  for (int fd = 0; fd < 3; ++fd) ::dup2(null, fd);
  std::sort(keep.begin(), keep.end());
  int from = 3;
  for (int fd : keep) {
    if (fd > from) ::syscall(SYS_close_range, from, fd - 1, 0u);
    from = std::max(from, fd + 1);
  }
  ::syscall(SYS_close_range, from, static_cast<unsigned>(INT_MAX), 0u);
}

// The child's life: mount, say so on `ready`, serve until unmounted.
[[noreturn]] void Serve(const std::string& mount_dir, Served served, int ready) {
  auto say = [&](const std::string& what) {
    if (::write(ready, what.data(), what.size()) < 0) {
    }
    ::close(ready);
  };
  const std::string fsname = "fsname=eofzero-record,subtype=eofzero-record";
  const char* argv[] = {"eofzero-record", "-o", fsname.c_str()};
  fuse_args args = FUSE_ARGS_INIT(3, const_cast<char**>(argv));
  const fuse_lowlevel_ops ops = Operations();
  fuse_session* se = fuse_session_new(&args, &ops, sizeof ops, &served);
  if (!se) {
    say("fuse_session_new failed");
    ::_exit(1);
  }
  if (fuse_session_mount(se, mount_dir.c_str()) != 0) {
    say("cannot mount the FUSE server on " + mount_dir + " (is /dev/fuse there?)");
    fuse_session_destroy(se);
    ::_exit(1);
  }
  say("ok");
  const int rc = fuse_session_loop(se);  // until the mount is gone
  const bool closed = served.events->Closing();
  fuse_session_unmount(se);
  fuse_session_destroy(se);
  ::_exit(rc == 0 && closed && !served.failed ? 0 : 1);
}

// Whether `pid` ended within `ms`; reaps it. `status` gets its wait status.
bool WaitFor(pid_t pid, int ms, int& status) {
  for (int waited = 0;; waited += 10) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) return true;
    if (waited >= ms) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

std::int64_t FdBacking::Read(std::uint64_t offset, std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done,
                              static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -errno;
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  return static_cast<std::int64_t>(done);
}

int FdBacking::Write(std::uint64_t offset, ByteView data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::pwrite(fd_, data.data() + done, data.size() - done,
                               static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;
    done += static_cast<std::size_t>(n);
  }
  return 0;
}

int FdBacking::Fallocate(int mode, std::uint64_t offset, std::uint64_t length) {
  return ::fallocate(fd_, mode, static_cast<off_t>(offset), static_cast<off_t>(length)) < 0 ? errno
                                                                                            : 0;
}

int FdBacking::StatFs(struct statvfs& out) { return ::fstatvfs(fd_, &out) < 0 ? errno : 0; }

Result<FuseFileServer> FuseFileServer::Start(const std::string& mount_dir, const std::string& name,
                                             FileBacking& backing, FileEvents& events,
                                             const std::vector<int>& keep_fds,
                                             std::chrono::milliseconds answer_deadline) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) return FailErrno("pipe2 for the FUSE server");
  UniqueFd read_end(fds[0]), write_end(fds[1]);
  const pid_t pid = ::fork();
  if (pid < 0) return FailErrno("fork the FUSE server");
  if (pid == 0) {
    std::vector<int> keep = keep_fds;
    keep.push_back(write_end.get());
    BecomeServer(keep);
    Serve(mount_dir, Served{name, &backing, &events, false, {}}, write_end.release());
  }
  write_end = UniqueFd();
  FuseFileServer server(mount_dir, name, pid);
  std::string said;
  char buf[256];
  for (ssize_t n; (n = ::read(read_end.get(), buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    said.append(buf, static_cast<size_t>(n));
  }
  if (said != "ok") {
    int status = 0;
    if (!WaitFor(pid, 5000, status)) ::kill(pid, SIGKILL), ::waitpid(pid, &status, 0);
    server.pid_ = -1;
    return Fail(ErrorKind::kSystem,
                "FUSE server: " + (said.empty() ? std::string("ended before mounting") : said));
  }
  server.watchdog_ = FuseWatchdog::Start(mount_dir, pid, answer_deadline);
  return server;
}

FuseFileServer::FuseFileServer(FuseFileServer&& other) noexcept
    : mount_dir_(std::move(other.mount_dir_)),
      name_(std::move(other.name_)),
      pid_(std::exchange(other.pid_, -1)),
      watchdog_(std::move(other.watchdog_)) {}

std::string FuseFileServer::Unanswered() const { return watchdog_ ? watchdog_->Fired() : ""; }

Status FuseFileServer::Stop() {
  if (pid_ < 0) return {};
  const pid_t pid = std::exchange(pid_, -1);
  const std::string unanswered = watchdog_ ? watchdog_->Stop() : "";
  watchdog_.reset();
  auto unmounted = UnmountFuseServerMount(mount_dir_, unanswered.empty() ? 5000 : 0);
  int status = 0;
  if (!unanswered.empty()) {  // it answers nothing: an unmount is no reason for it to end
    ::kill(pid, SIGKILL);     // our own child, by its pid
    ::waitpid(pid, &status, 0);
    return Fail(ErrorKind::kSystem, "the FUSE server on " + mount_dir_ + ": " + unanswered +
                                        "; it was killed");
  }
  if (!WaitFor(pid, 10000, status)) {
    ::kill(pid, SIGKILL);  // our own child, by its pid
    ::waitpid(pid, &status, 0);
    return Fail(ErrorKind::kSystem, "the FUSE server on " + mount_dir_ +
                                        " did not end after its unmount; killed it");
  }
  if (!unmounted) return std::unexpected(unmounted.error());
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return Fail(ErrorKind::kSystem,
                "the FUSE server on " + mount_dir_ +
                    " failed to apply a request or to tell of one (its FileEvents said so)");
  return {};
}

FuseFileServer::~FuseFileServer() {
  if (auto st = Stop(); !st) spdlog::warn("teardown: {}", st.error().Message());
}

Result<bool> UnmountFuseServerMount(const std::string& target, int busy_wait_ms) {
  EOFZERO_ASSIGN_OR_RETURN(auto top, TopMountAt(target));
  if (!top || top->fstype != kFuseServerFsType) return false;
  // A loop device over the file lets go of it a moment after its detach
  // (its last opener's close): EBUSY until then.
  for (int waited = 0;; waited += 20) {
    if (::umount2(target.c_str(), UMOUNT_NOFOLLOW) == 0) return true;
    if (errno != EBUSY || waited >= busy_wait_ms) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const int err = errno;
  if (::umount2(target.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) == 0) return true;
  return FailErrno("umount " + target, err);
}

Status SelectServed(const std::string& served_file, std::uint64_t which) {
  auto fd = OpenFile(served_file, O_RDONLY);
  if (!fd) return std::unexpected(fd.error());
  if (::ioctl(fd->get(), kSelectIoctl, &which) < 0)
    return FailErrno("select content " + std::to_string(which) + " of " + served_file);
  return {};
}

}  // namespace eofzero::os
