#include "os/file_ops.h"

#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <vector>
#include <utility>

#include "os/aligned_buffer.h"
#include "os/system.h"

namespace eofzero::os {
namespace {

// Retries short writes; `write_some(done)` writes from data[done] on.
template <class F>
Status WriteLoop(std::size_t size, const std::string& context, F&& write_some) {
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = write_some(done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FailErrno(context);
    if (n == 0) return Fail(ErrorKind::kSystem, context + ": wrote nothing");
    done += static_cast<std::size_t>(n);
  }
  return {};
}

}  // namespace

Status WriteOut(int fd, ByteView data, std::uint64_t offset, const WriteHow& how,
                const std::string& what) {
  AlignedBuffer aligned(how.alignment ? data.size() : 0, how.alignment ? how.alignment : 1);
  if (how.alignment) {
    if (!aligned.ok()) return Fail(ErrorKind::kSystem, "aligned_alloc for O_DIRECT write of " + what);
    std::memcpy(aligned.data(), data.data(), data.size());
  }
  const std::uint8_t* bytes = how.alignment ? aligned.data() : data.data();
  const std::size_t size = data.size();
  if (!how.rwf_flags && !how.vectors) {
    if (how.append)
      return WriteLoop(size, "write (O_APPEND) " + what, [&](std::size_t done) {
        return ::write(fd, bytes + done, size - done);
      });
    return WriteLoop(size, "pwrite " + RangeContext(what, offset, size), [&](std::size_t done) {
      return ::pwrite(fd, bytes + done, size - done, static_cast<off_t>(offset + done));
    });
  }
  // What is left goes out in `vectors` iovecs of equal size (the last takes
  // the rest), as xfs_io's -V splits its buffer.
  const std::size_t n = std::max<std::uint32_t>(how.vectors, 1);
  auto st = WriteLoop(size, "pwritev2 " + RangeContext(what, offset, size), [&](std::size_t done) {
    const std::size_t left = size - done, pieces = std::min(n, left);
    std::vector<iovec> iov(pieces);
    for (std::size_t k = 0; k < pieces; ++k) {
      const std::size_t begin = k * (left / pieces);
      const std::size_t end = k + 1 == pieces ? left : begin + left / pieces;
      iov[k] = {const_cast<std::uint8_t*>(bytes + done + begin), end - begin};
    }
    const off_t at = how.append ? -1 : static_cast<off_t>(offset + done);
    return ::pwritev2(fd, iov.data(), static_cast<int>(iov.size()), at, how.rwf_flags);
  });
  // pwritev2(2): with RWF_NOWAIT, EAGAIN says the write would block here.
  if (!st && (how.rwf_flags & RWF_NOWAIT) && st.error().errnum == EAGAIN)
    st.error().kind = ErrorKind::kUnsupported;
  // A non-blocking buffered write where the filesystem offers none: the
  // kernel's generic_write_checks answers EINVAL when the file has neither
  // O_DIRECT nor FMODE_BUF_WASYNC (f2fs on 6.1 and 6.12, measured), where
  // others answer EOPNOTSUPP.
  if (!st && (how.rwf_flags & RWF_NOWAIT) && st.error().errnum == EINVAL) {
    const int flags = ::fcntl(fd, F_GETFL);
    if (flags >= 0 && !(flags & O_DIRECT)) {
      st.error().kind = ErrorKind::kUnsupported;
      st.error().context += " (no non-blocking buffered writes on this filesystem)";
    }
  }
  return st;
}

int RwfFlag(Rwf flag) {
  switch (flag) {
    case Rwf::kAppend:
      return RWF_APPEND;
    case Rwf::kNowait:
      return RWF_NOWAIT;
    case Rwf::kDsync:
      return RWF_DSYNC;
    case Rwf::kSync:
      return RWF_SYNC;
  }
  return 0;
}

Status Fdatasync(int fd, const std::string& what) {
  if (::fdatasync(fd) < 0) return FailErrno("fdatasync " + what);
  return {};
}

Status Syncfs(int fd, const std::string& what) {
  if (::syncfs(fd) < 0) return FailErrno("syncfs " + what);
  return {};
}

void SyncAll() { ::sync(); }

Status MakeDirectory(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) < 0) return FailErrno("mkdir " + path);
  return {};
}

Status SyncRange(int fd, std::uint64_t offset, std::uint64_t length, bool wait_before, bool write,
                 bool wait_after, const std::string& what) {
  unsigned flags = (wait_before ? SYNC_FILE_RANGE_WAIT_BEFORE : 0) |
                   (write ? SYNC_FILE_RANGE_WRITE : 0) |
                   (wait_after ? SYNC_FILE_RANGE_WAIT_AFTER : 0);
  if (::sync_file_range(fd, static_cast<off_t>(offset), static_cast<off_t>(length), flags) < 0)
    return FailErrno("sync_file_range " + RangeContext(what, offset, length));
  return {};
}

Status CopyRange(int in_fd, std::uint64_t in_offset, int out_fd, std::uint64_t out_offset,
                 std::uint64_t length, const std::string& what) {
  auto in = static_cast<off_t>(in_offset), out = static_cast<off_t>(out_offset);
  while (length > 0) {
    ssize_t n = ::copy_file_range(in_fd, &in, out_fd, &out, length, 0);
    if (n < 0 && errno == EINTR) continue;
    // Not offered: across filesystems (EXDEV), or not at all.
    if (n < 0)
      return FailErrno("copy_file_range " + RangeContext(what, out_offset, length), errno,
                       {EXDEV, EOPNOTSUPP, ENOSYS});
    if (n == 0) return Fail(ErrorKind::kInvalid, "copy_file_range " + what + ": source ended");
    length -= static_cast<std::uint64_t>(n);
  }
  return {};
}

Status CloneRange(int src_fd, std::uint64_t src_offset, int dst_fd, std::uint64_t dst_offset,
                  std::uint64_t length, const std::string& what) {
  file_clone_range arg{};
  arg.src_fd = src_fd;
  arg.src_offset = src_offset;
  arg.src_length = length;
  arg.dest_offset = dst_offset;
  // ioctl_ficlone(2): EINVAL and EOPNOTSUPP when the filesystem does not
  // reflink these files, EXDEV across filesystems.
  if (::ioctl(dst_fd, FICLONERANGE, &arg) < 0)
    return FailErrno("FICLONERANGE " + RangeContext(what, dst_offset, length), errno,
                     {EINVAL, EOPNOTSUPP, EXDEV});
  return {};
}

FallocModes FallocFlags() {
  return {FALLOC_FL_KEEP_SIZE, FALLOC_FL_PUNCH_HOLE, FALLOC_FL_ZERO_RANGE,
          FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_INSERT_RANGE};
}

Result<SharedMapping> SharedMapping::Map(int fd, std::uint64_t page_offset, std::uint64_t length,
                                         const std::string& what) {
  void* addr = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                      static_cast<off_t>(page_offset));
  if (addr == MAP_FAILED)
    return FailErrno("mmap (shared, writable) " + RangeContext(what, page_offset, length));
  SharedMapping m;
  m.addr_ = addr;
  m.offset_ = page_offset;
  m.length_ = length;
  m.what_ = what;
  return m;
}

SharedMapping::SharedMapping(SharedMapping&& other) noexcept
    : addr_(std::exchange(other.addr_, nullptr)),
      offset_(other.offset_),
      length_(other.length_),
      what_(std::move(other.what_)) {}

SharedMapping& SharedMapping::operator=(SharedMapping&& other) noexcept {
  if (this != &other) {
    if (addr_) ::munmap(addr_, length_);
    addr_ = std::exchange(other.addr_, nullptr);
    offset_ = other.offset_;
    length_ = other.length_;
    what_ = std::move(other.what_);
  }
  return *this;
}

SharedMapping::~SharedMapping() {
  if (addr_) ::munmap(addr_, length_);
}

Status SharedMapping::Fill(std::uint64_t offset, std::uint64_t length, std::uint8_t byte) {
  if (offset < offset_ || length > length_ || offset - offset_ > length_ - length)
    return Fail(ErrorKind::kInvalid, "mwrite " + RangeContext(what_, offset, length) +
                                         " is outside the mapping " + RangeContext(what_, offset_, length_));
  std::memset(static_cast<std::uint8_t*>(addr_) + (offset - offset_), byte, length);
  return {};
}

Status SharedMapping::Sync(bool async, bool invalidate, bool sync) {
  int flags = (async ? MS_ASYNC : 0) | (invalidate ? MS_INVALIDATE : 0) | (sync ? MS_SYNC : 0);
  if (!async && !sync) flags |= MS_SYNC;
  if (::msync(addr_, length_, flags) < 0) return FailErrno("msync " + RangeContext(what_, offset_, length_));
  return {};
}

}  // namespace eofzero::os
