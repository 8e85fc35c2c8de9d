// The file operations case steps perform to extend, flush and share data
// (the oracles' reads are in file_io.h). Errors carry errno; EOPNOTSUPP and
// ENOTTY come back as ErrorKind::kUnsupported.
#pragma once

#include <cstdint>
#include <string>

#include "os/bytes.h"
#include "os/error.h"

namespace eofzero::os {

struct WriteHow;  // os/system.h
// Writes all of `data` as `how` says, retrying short writes. With RWF_NOWAIT,
// EAGAIN (the write would block) comes back as ErrorKind::kUnsupported.
Status WriteOut(int fd, ByteView data, std::uint64_t offset, const WriteHow& how,
                const std::string& what);
// RWF_* flags for WriteHow, without callers including kernel headers.
enum class Rwf { kAppend, kNowait, kDsync, kSync };
int RwfFlag(Rwf flag);

Status Fdatasync(int fd, const std::string& what);
Status Syncfs(int fd, const std::string& what);
void SyncAll();  // sync(2)
Status MakeDirectory(const std::string& path);
// sync_file_range(2) with exactly the given SYNC_FILE_RANGE_* behaviour.
Status SyncRange(int fd, std::uint64_t offset, std::uint64_t length, bool wait_before, bool write,
                 bool wait_after, const std::string& what);

// copy_file_range(2) until `length` bytes are copied or the source ends.
Status CopyRange(int in_fd, std::uint64_t in_offset, int out_fd, std::uint64_t out_offset,
                 std::uint64_t length, const std::string& what);
// FICLONERANGE: share the source's blocks (reflink).
Status CloneRange(int src_fd, std::uint64_t src_offset, int dst_fd, std::uint64_t dst_offset,
                  std::uint64_t length, const std::string& what);

// FALLOC_FL_* for Fallocate (file_io.h), without callers including kernel headers.
struct FallocModes {
  int keep_size, punch_hole, zero_range, collapse_range, insert_range;
};
FallocModes FallocFlags();

// A shared, writable mapping of [page_offset, page_offset + length) of a
// file, unmapped on destruction.
class SharedMapping {
 public:
  static Result<SharedMapping> Map(int fd, std::uint64_t page_offset, std::uint64_t length,
                                   const std::string& what);
  SharedMapping(SharedMapping&& other) noexcept;
  SharedMapping& operator=(SharedMapping&& other) noexcept;
  SharedMapping(const SharedMapping&) = delete;
  ~SharedMapping();

  // Stores `length` bytes `byte` at file offset `offset`; the range must lie
  // inside the mapping (kInvalid otherwise).
  Status Fill(std::uint64_t offset, std::uint64_t length, std::uint8_t byte);
  Status Sync(bool async, bool invalidate, bool sync);

 private:
  SharedMapping() = default;
  void* addr_ = nullptr;
  std::uint64_t offset_ = 0, length_ = 0;
  std::string what_;
};

}  // namespace eofzero::os
