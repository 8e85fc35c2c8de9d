#include "os/file_io.h"

#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <ftw.h>
#include <sys/mman.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "os/aligned_buffer.h"
#include "os/user_files.h"

namespace eofzero::os {
Status WriteAll(int fd, ByteView data, std::uint64_t offset, const std::string& what) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::pwrite(fd, data.data() + done, data.size() - done, offset + done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FailErrno("pwrite " + RangeContext(what, offset, data.size()));
    if (n == 0)
      return Fail(ErrorKind::kSystem,
                  "pwrite " + RangeContext(what, offset, data.size()) + ": wrote nothing");
    done += static_cast<std::size_t>(n);
  }
  return {};
}

Result<Bytes> ReadUpTo(int fd, std::uint64_t offset, std::uint64_t length,
                       const std::string& what) {
  Bytes out(length);
  std::size_t done = 0;
  while (done < length) {
    ssize_t n = ::pread(fd, out.data() + done, length - done, offset + done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FailErrno("pread " + RangeContext(what, offset, length));
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  out.resize(done);
  return out;
}

Status ReadAndDiscard(int fd, std::uint64_t offset, std::uint64_t length,
                      const std::string& what) {
  std::vector<std::uint8_t> buf(std::min<std::uint64_t>(length, 1 << 20));
  for (std::uint64_t done = 0; done < length;) {
    ssize_t n = ::pread(fd, buf.data(), std::min<std::uint64_t>(buf.size(), length - done),
                        static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FailErrno("pread " + RangeContext(what, offset, length));
    if (n == 0) break;
    done += static_cast<std::uint64_t>(n);
  }
  return {};
}

Status Fsync(int fd, const std::string& what) {
  if (::fsync(fd) < 0) return FailErrno("fsync " + what);
  return {};
}

Status Truncate(int fd, std::uint64_t size, const std::string& what) {
  if (::ftruncate(fd, static_cast<off_t>(size)) < 0)
    return FailErrno("ftruncate " + what + " to " + std::to_string(size));
  return {};
}

Status Fallocate(int fd, int mode, std::uint64_t offset, std::uint64_t length,
                 const std::string& what) {
  if (::fallocate(fd, mode, static_cast<off_t>(offset), static_cast<off_t>(length)) < 0)
    return FailErrno("fallocate(mode " + std::to_string(mode) + ") " + RangeContext(what, offset, length));
  return {};
}

Status DropCachedPages(int fd, const std::string& what) {
  int rc = ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  if (rc != 0) return FailErrno("posix_fadvise(DONTNEED) " + what, rc);
  return {};
}

Result<std::uint64_t> DeviceOfPath(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) < 0) return FailErrno("stat " + path);
  return static_cast<std::uint64_t>(st.st_dev);
}

std::string DeviceText(std::uint64_t device) {
  return std::to_string(major(device)) + ":" + std::to_string(minor(device));
}

Status LockExclusive(int fd, const std::string& what) {
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return {};
  if (errno == EWOULDBLOCK) return Fail(ErrorKind::kInvalid, what + " is locked by another process");
  return FailErrno("flock " + what);
}

Result<FileStat> StatFile(int fd, const std::string& what) {
  struct statx stx {};
  if (::statx(fd, "", AT_EMPTY_PATH, STATX_TYPE | STATX_SIZE | STATX_INO | STATX_DIOALIGN, &stx) <
      0)
    return FailErrno("statx " + what);
  FileStat st;
  st.regular = S_ISREG(stx.stx_mode);
  st.device = makedev(stx.stx_dev_major, stx.stx_dev_minor);
  st.size = stx.stx_size;
  st.inode = stx.stx_ino;
  st.block_size = stx.stx_blksize;
  if (stx.stx_mask & STATX_DIOALIGN) {
    st.dio_mem_align = stx.stx_dio_mem_align;
    st.dio_offset_align = stx.stx_dio_offset_align;
  }
  return st;
}

Result<Bytes> ReadThroughMmap(int fd, std::uint64_t page_offset, std::uint64_t length,
                              const std::string& what) {
  void* map = ::mmap(nullptr, length, PROT_READ, MAP_SHARED, fd, static_cast<off_t>(page_offset));
  if (map == MAP_FAILED) return FailErrno("mmap " + RangeContext(what, page_offset, length));
  const auto* p = static_cast<const std::uint8_t*>(map);
  Bytes out(p, p + length);
  ::munmap(map, length);
  return out;
}

Result<DirectReadResult> ReadDirect(const std::string& path, std::uint64_t offset,
                                    std::uint64_t length, std::uint32_t alignment) {
  auto fd = OpenFile(path, O_RDONLY | O_DIRECT);
  if (!fd) return std::unexpected(fd.error());
  AlignedBuffer buf(length, alignment);
  if (!buf.ok()) return Fail(ErrorKind::kSystem, "aligned_alloc for O_DIRECT read of " + path);
  ssize_t n;
  do {
    n = ::pread(fd->get(), buf.data(), length, static_cast<off_t>(offset));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return FailErrno("O_DIRECT pread " + RangeContext(path, offset, length));
  DirectReadResult r{Bytes(buf.view().begin(), buf.view().end()), static_cast<std::uint64_t>(n)};
  return r;
}

std::uint32_t PageSize() { return static_cast<std::uint32_t>(::sysconf(_SC_PAGESIZE)); }

}  // namespace eofzero::os

#include <sys/statvfs.h>

namespace eofzero::os {
Result<std::uint64_t> FreeBytes(const std::string& path) {
  struct statvfs st {};
  if (::statvfs(path.c_str(), &st) < 0) return FailErrno("statvfs " + path);
  return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
}

Status RemoveFileFamily(const std::filesystem::path& dir, const std::string& base) {
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name != base && !name.starts_with(base + ".")) continue;
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    if (::unlink(it->path().c_str()) < 0 && errno != ENOENT)
      return FailErrno("unlink " + it->path().string());
  }
  if (ec) return Fail(ErrorKind::kSystem, "list " + dir.string() + ": " + ec.message());
  return {};
}

Result<std::uint32_t> FilesystemBlockSize(const std::string& path) {
  struct statvfs st {};
  if (::statvfs(path.c_str(), &st) < 0) return FailErrno("statvfs " + path);
  return static_cast<std::uint32_t>(st.f_bsize);
}

namespace {

thread_local std::uint64_t g_removed_bytes = 0;

int RemoveOne(const char* path, const struct stat* st, int type, struct FTW*) {
  if (type == FTW_DP) {
    ::rmdir(path);  // fails for a folder that keeps a mount point: it stays
  } else if (::unlink(path) == 0) {
    g_removed_bytes += static_cast<std::uint64_t>(st->st_blocks) * 512;
  }
  return 0;
}

Status CheckRegular(const struct stat& st, std::uint64_t max_bytes) {
  if (!S_ISREG(st.st_mode))
    return Fail(ErrorKind::kInvalid,
                std::string("not a regular file (") + FileTypeName(st.st_mode) + ")");
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
    return Fail(ErrorKind::kInvalid, "too large: " + std::to_string(st.st_size) +
                                         " bytes (at most " + std::to_string(max_bytes) + ")");
  return {};
}

}  // namespace

Result<std::uint64_t> RemoveTreeOnItsFilesystem(const std::filesystem::path& dir) {
  g_removed_bytes = 0;
  // FTW_MOUNT: stay on dir's filesystem; FTW_PHYS: no symlinks; FTW_DEPTH:
  // contents before their folder.
  if (::nftw(dir.c_str(), RemoveOne, 16, FTW_DEPTH | FTW_MOUNT | FTW_PHYS) < 0 && errno != ENOENT)
    return FailErrno("remove " + dir.string());
  return g_removed_bytes;
}

Status WriteTextFile(const std::filesystem::path& path, const std::string& text) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK | O_CLOEXEC, 0644));
  if (!fd.valid() && errno == ENXIO)
    return FailErrno("open " + path.string() + " (a FIFO with no reader)");
  if (!fd.valid()) return FailErrno("open " + path.string());
  const int flags = ::fcntl(fd.get(), F_GETFL);
  if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) < 0)
    return FailErrno("fcntl " + path.string());
  return WriteAll(fd.get(), ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()),
                  0, path.string());
}

Result<std::string> ReadRegularFile(const std::filesystem::path& path, std::uint64_t max_bytes) {
  // stat first, so a device is never even opened; then open without blocking
  // (a FIFO swapped in meanwhile opens at once) and check what was opened.
  struct stat st {};
  if (::stat(path.c_str(), &st) < 0) return FailErrno("cannot read");
  EOFZERO_RETURN_IF_ERROR(CheckRegular(st, max_bytes));
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (!fd.valid()) return FailErrno("cannot read");
  if (::fstat(fd.get(), &st) < 0) return FailErrno("cannot read");
  EOFZERO_RETURN_IF_ERROR(CheckRegular(st, max_bytes));
  std::string text;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FailErrno("cannot read");
    if (n == 0) break;
    text.append(buf, static_cast<std::size_t>(n));
    if (text.size() > max_bytes)  // it grew since the fstat
      return Fail(ErrorKind::kInvalid, "too large: more than " + std::to_string(max_bytes) +
                                           " bytes");
  }
  return text;
}

std::optional<std::string> ReadTextFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

}  // namespace eofzero::os
