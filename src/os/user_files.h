// Files the user names on the command line: the reports eofzero writes
// (--output), the write logs it records (--record DIR), the images `log
// replay` makes, and the logs it reads. Whatever the path is, or becomes
// between a check and the open, these never block (a FIFO), never open a
// device, never write through a symbolic link, and never write into a file
// that has another name (a hard link: the other name's file would change).
//
// Every refusal is kInvalid and names the path and what it is ("/x/out is a
// FIFO, not a regular file"); a failed call is kSystem with its errno.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "os/error.h"
#include "os/unique_fd.h"

namespace eofzero::os {

// Whether `path` may become an output file, changing nothing: it does not
// exist and its folder is a directory, or it is a regular file with one
// name. Never follows a symbolic link at `path` (its folders may be links).
// For option checks before anything is built; OpenOutputFile decides again.
Status CheckOutputFile(const std::filesystem::path& path);

// Opens `path` for writing: created (`mode`, less the umask) when it does
// not exist, else opened as it is (not truncated) after the checks of
// CheckOutputFile on what was actually opened. A device or FIFO is never
// opened at all: an existing file is looked at through an O_PATH descriptor
// first, and only that same file, once it is a regular file with one name,
// is opened for writing.
Result<UniqueFd> OpenOutputFile(const std::filesystem::path& path, mode_t mode = 0644);

// `text` as the whole content of the output file `path` (OpenOutputFile,
// then truncated and written).
Status WriteOutputFile(const std::filesystem::path& path, std::string_view text);

// Opens a file the user named for reading: only a regular file (a symbolic
// link to one is fine), never blocking and never opening anything else.
Result<UniqueFd> OpenInputFile(const std::filesystem::path& path);

// Makes the folder `path` (its own folder must exist; mode 0777 less the
// umask) unless it is one already (or a symbolic link to one). kInvalid
// when something else has the name.
Status MakeDirectory(const std::filesystem::path& path);

// A new file that appears at `path` only when Commit() succeeds, and never
// over anything already there. Until then it has no name (O_TMPFILE in the
// folder of `path`), so a process killed while writing it leaves nothing;
// where the filesystem has no O_TMPFILE, it has a hidden temporary name in
// that folder (".NAME.XXXXXX"), which the destructor removes.
class PendingFile {
 public:
  static Result<PendingFile> Create(const std::filesystem::path& path, mode_t mode = 0600);
  PendingFile(PendingFile&& other) noexcept;
  PendingFile& operator=(PendingFile&&) = delete;
  ~PendingFile();  // not committed: gone
  int fd() const { return fd_.get(); }
  // Gives the file its name: kInvalid "PATH exists (never overwritten)"
  // when something has taken the name since.
  Status Commit();

 private:
  PendingFile(std::filesystem::path path, std::filesystem::path temp, UniqueFd fd)
      : path_(std::move(path)), temp_(std::move(temp)), fd_(std::move(fd)) {}
  std::filesystem::path path_;
  std::filesystem::path temp_;  // empty: O_TMPFILE, or committed
  UniqueFd fd_;
  bool committed_ = false;
};

// "a FIFO", "a directory", "a block device", ...: what a st_mode is.
const char* FileTypeName(mode_t mode);

}  // namespace eofzero::os
