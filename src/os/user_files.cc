#include "os/user_files.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "os/file_io.h"

namespace eofzero::os {
namespace {

// Why eofzero does not write into the file `st` describes ("" when it may).
std::string WhyNotWritable(const struct stat& st) {
  if (S_ISLNK(st.st_mode)) return "is a symbolic link (eofzero never writes through one)";
  if (!S_ISREG(st.st_mode))
    return std::string("is ") + FileTypeName(st.st_mode) + ", not a regular file";
  if (st.st_nlink > 1)
    return "has " + std::to_string(st.st_nlink) +
           " names (hard links): eofzero writes only into a file with one name";
  return "";
}

std::string WhyNotReadable(const struct stat& st) {
  if (!S_ISREG(st.st_mode))
    return std::string("is ") + FileTypeName(st.st_mode) + ", not a regular file";
  return "";
}

std::unexpected<Error> RefusePath(const std::filesystem::path& path, const std::string& why) {
  return Fail(ErrorKind::kInvalid, path.string() + " " + why);
}

Status ClearNonblock(int fd, const std::filesystem::path& path) {
  const int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0 || ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0)
    return FailErrno("fcntl " + path.string());
  return {};
}

// Opens the file that `at` (an O_PATH descriptor of `path`, described by
// `seen`) is, again, with `flags`: through /proc/self/fd, which reaches that
// very file whatever `path` names now. Without /proc: `path` itself, without
// blocking, and only if it is still that file.
Result<UniqueFd> Reopen(const UniqueFd& at, const struct stat& seen,
                        const std::filesystem::path& path, int flags, bool follow) {
  const std::string self = "/proc/self/fd/" + std::to_string(at.get());
  UniqueFd fd(::open(self.c_str(), flags | O_CLOEXEC | O_NOCTTY));
  if (!fd.valid() && errno != ENOENT) return FailErrno("open " + path.string());
  if (!fd.valid()) {
    fd = UniqueFd(::open(path.c_str(),
                         flags | (follow ? 0 : O_NOFOLLOW) | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    if (!fd.valid()) return FailErrno("open " + path.string());
    EOFZERO_RETURN_IF_ERROR(ClearNonblock(fd.get(), path));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0) return FailErrno("fstat " + path.string());
  if (st.st_dev != seen.st_dev || st.st_ino != seen.st_ino)
    return Fail(ErrorKind::kInvalid, path.string() + " changed while it was opened");
  return fd;
}

}  // namespace

const char* FileTypeName(mode_t mode) {
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "not a file";
}

Status CheckOutputFile(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (auto why = WhyNotWritable(st); !why.empty()) return RefusePath(path, why);
    return {};
  }
  if (errno != ENOENT && errno != ENOTDIR) return FailErrno("stat " + path.string());
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
  const int found = ::stat(folder.c_str(), &st);
  if (found < 0 && errno != ENOENT && errno != ENOTDIR) return FailErrno("stat " + folder.string());
  if (found < 0 || !S_ISDIR(st.st_mode))
    return Fail(ErrorKind::kInvalid, folder.string() + " is not a directory");
  return {};
}

Result<UniqueFd> OpenOutputFile(const std::filesystem::path& path, mode_t mode) {
  // A file removed between the two opens is created on the next round; one
  // that keeps reappearing as something else is refused as that.
  for (int round = 0; round < 3; ++round) {
    UniqueFd fd(::open(path.c_str(),
                       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, mode));
    if (fd.valid()) return fd;  // new: a regular file with one name
    if (errno != EEXIST) return FailErrno("create " + path.string());
    UniqueFd at(::open(path.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (!at.valid() && errno == ENOENT) continue;
    if (!at.valid()) return FailErrno("open " + path.string());
    struct stat st {};
    if (::fstat(at.get(), &st) < 0) return FailErrno("fstat " + path.string());
    if (auto why = WhyNotWritable(st); !why.empty()) return RefusePath(path, why);
    EOFZERO_ASSIGN_OR_RETURN(UniqueFd opened, Reopen(at, st, path, O_WRONLY, false));
    // Linked again since the look: refused all the same.
    if (::fstat(opened.get(), &st) < 0) return FailErrno("fstat " + path.string());
    if (auto why = WhyNotWritable(st); !why.empty()) return RefusePath(path, why);
    return opened;
  }
  return Fail(ErrorKind::kInvalid, path.string() + " keeps disappearing while it is opened");
}

Status WriteOutputFile(const std::filesystem::path& path, std::string_view text) {
  EOFZERO_ASSIGN_OR_RETURN(UniqueFd fd, OpenOutputFile(path));
  EOFZERO_RETURN_IF_ERROR(Truncate(fd.get(), 0, path.string()));
  return WriteAll(fd.get(),
                  ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()), 0,
                  path.string());
}

Result<UniqueFd> OpenInputFile(const std::filesystem::path& path) {
  UniqueFd at(::open(path.c_str(), O_PATH | O_CLOEXEC));
  if (!at.valid()) return FailErrno("open " + path.string());
  struct stat st {};
  if (::fstat(at.get(), &st) < 0) return FailErrno("fstat " + path.string());
  if (auto why = WhyNotReadable(st); !why.empty()) return RefusePath(path, why);
  return Reopen(at, st, path, O_RDONLY, true);
}

Status MakeDirectory(const std::filesystem::path& path) {
  if (::mkdir(path.c_str(), 0777) == 0) return {};
  if (errno != EEXIST) return FailErrno("mkdir " + path.string());
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return {};
  return Fail(ErrorKind::kInvalid, path.string() + " is not a directory");
}

Result<PendingFile> PendingFile::Create(const std::filesystem::path& path, mode_t mode) {
  const std::filesystem::path folder = path.has_parent_path() ? path.parent_path() : ".";
  UniqueFd fd(::open(folder.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, mode));
  if (fd.valid()) return PendingFile(path, "", std::move(fd));
  if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
    return FailErrno("create a file in " + folder.string());
  std::string temp = (folder / ("." + path.filename().string() + ".XXXXXX")).string();
  fd = UniqueFd(::mkostemp(temp.data(), O_CLOEXEC));
  if (!fd.valid()) return FailErrno("create a file in " + folder.string());
  if (::fchmod(fd.get(), mode) < 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    return FailErrno("chmod " + temp, err);
  }
  return PendingFile(path, temp, std::move(fd));
}

PendingFile::PendingFile(PendingFile&& other) noexcept
    : path_(std::move(other.path_)),
      temp_(std::exchange(other.temp_, {})),
      fd_(std::move(other.fd_)),
      committed_(other.committed_) {}

PendingFile::~PendingFile() {
  if (!committed_ && !temp_.empty()) ::unlink(temp_.c_str());
}

Status PendingFile::Commit() {
  int rc;
  if (temp_.empty()) {
    // The nameless file gets its first name; linkat never replaces one.
    const std::string self = "/proc/self/fd/" + std::to_string(fd_.get());
    rc = ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, path_.c_str(), AT_SYMLINK_FOLLOW);
    if (rc < 0 && errno == ENOENT && ::access("/proc/self/fd", F_OK) != 0)
      rc = ::linkat(fd_.get(), "", AT_FDCWD, path_.c_str(), AT_EMPTY_PATH);  // no /proc
  } else {
    rc = ::renameat2(AT_FDCWD, temp_.c_str(), AT_FDCWD, path_.c_str(), RENAME_NOREPLACE);
    if (rc < 0 && errno == EINVAL) {  // the filesystem has no RENAME_NOREPLACE
      rc = ::link(temp_.c_str(), path_.c_str());
      if (rc == 0) ::unlink(temp_.c_str());
    }
  }
  if (rc < 0 && errno == EEXIST)
    return Fail(ErrorKind::kInvalid, path_.string() + " exists (never overwritten)");
  if (rc < 0) return FailErrno("name " + path_.string());
  committed_ = true;
  return {};
}

}  // namespace eofzero::os
