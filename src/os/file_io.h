// Thin, typed wrappers over the file system calls the scenarios use. Each
// returns an Error whose context names the call, the path or fd, and the range.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "os/bytes.h"
#include "os/error.h"
#include "os/unique_fd.h"

namespace eofzero::os {

struct FileStat {
  std::uint64_t size = 0;
  std::uint64_t inode = 0;
  std::uint32_t block_size = 0;     // st_blksize: the filesystem's preferred I/O size
  std::uint32_t dio_mem_align = 0;  // STATX_DIOALIGN; 0 when the kernel does not report it
  std::uint32_t dio_offset_align = 0;
  bool regular = false;      // a regular file (not a directory, device, fifo, ...)
  std::uint64_t device = 0;  // st_dev: the device of the filesystem it is on
};

Status WriteAll(int fd, ByteView data, std::uint64_t offset, const std::string& what);
// The device of the filesystem `path` shows now (st_dev: for a mount point,
// what is mounted on top).
Result<std::uint64_t> DeviceOfPath(const std::string& path);
// "7:0": a device number as major:minor.
std::string DeviceText(std::uint64_t device);
// An exclusive lock on `fd`'s open file (flock), held until every
// descriptor of it is closed; kInvalid, not waiting, when another holds it.
Status LockExclusive(int fd, const std::string& what);
// Reads up to `length` bytes at `offset`, stopping early only at EOF. Holds
// them all: for lengths the tool chose (a block), not a case's.
Result<Bytes> ReadUpTo(int fd, std::uint64_t offset, std::uint64_t length, const std::string& what);
// Reads [offset, offset + length) through a small buffer and drops the
// bytes (to fill the page cache), stopping early at EOF.
Status ReadAndDiscard(int fd, std::uint64_t offset, std::uint64_t length, const std::string& what);
Status Fsync(int fd, const std::string& what);
Status Truncate(int fd, std::uint64_t size, const std::string& what);
Status Fallocate(int fd, int mode, std::uint64_t offset, std::uint64_t length,
                 const std::string& what);
// posix_fadvise(DONTNEED): drop clean cached pages so the next read goes to disk.
Status DropCachedPages(int fd, const std::string& what);
Result<FileStat> StatFile(int fd, const std::string& what);

// Maps [page_offset, page_offset + length) read-only and copies it out.
// page_offset must be page aligned. This reads through the page cache exactly
// as a process touching the mapping would.
Result<Bytes> ReadThroughMmap(int fd, std::uint64_t page_offset, std::uint64_t length,
                              const std::string& what);

struct DirectReadResult {
  Bytes buffer;         // the whole user buffer, including bytes past a short count
  std::uint64_t count;  // what read(2) returned
};
// Opens `path` with O_DIRECT and reads `length` bytes at `offset` into a
// zero-filled buffer aligned to `alignment`. offset and length must be
// multiples of the filesystem's DIO offset alignment.
Result<DirectReadResult> ReadDirect(const std::string& path, std::uint64_t offset,
                                    std::uint64_t length, std::uint32_t alignment);

std::uint32_t PageSize();

// A small text file (a case, a matrix file, a report) read whole; nullopt if
// it cannot be read.
std::optional<std::string> ReadTextFile(const std::filesystem::path& path);

// Writes `text` to `path`, created or truncated, without ever blocking on
// the open: a FIFO with no reader is an error (ENXIO), not a hang. For the
// kernel's files (sysfs); a file the user names is os/user_files.h's.
Status WriteTextFile(const std::filesystem::path& path, const std::string& text);

// A regular file of at most `max_bytes`, read whole. Anything else is refused
// without blocking and without reading it: a FIFO (opening one for reading
// waits for a writer), a directory, a device, a socket — also behind a
// symlink. kInvalid: "not a regular file (a FIFO)", "too large: N bytes (at
// most M)"; kSystem: "cannot read: <errno>".
Result<std::string> ReadRegularFile(const std::filesystem::path& path, std::uint64_t max_bytes);

}  // namespace eofzero::os

namespace eofzero::os {
// Removes `dir` and everything in it without leaving its filesystem: it never
// follows a symlink and never descends into another filesystem mounted
// below (such a mount point, and the folders above it, stay). Returns the
// bytes the removed files had allocated.
Result<std::uint64_t> RemoveTreeOnItsFilesystem(const std::filesystem::path& dir);

// Unlinks `dir`/`base` and every `dir`/`base`.SUFFIX that is a regular file
// (never following a link); a name that is not there is no error.
Status RemoveFileFamily(const std::filesystem::path& dir, const std::string& base);

// The bytes an unprivileged writer could still allocate on the filesystem
// that holds `path` (statvfs f_bavail * f_frsize).
Result<std::uint64_t> FreeBytes(const std::string& path);

// The fundamental block size of the filesystem mounted at `path` (statvfs f_bsize).
Result<std::uint32_t> FilesystemBlockSize(const std::string& path);
}  // namespace eofzero::os
