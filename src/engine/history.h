// What a case did to its main file, in order: every byte range it wrote and
// with what, every range it zeroed, its size around each step, and what each
// durability primitive promised when it completed. The interpreter records it
// as the steps run; the crash model (oracles/invariants.h) judges a file read
// back before or after a crash against it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "os/bytes.h"

namespace eofzero::engine {

// `length` bytes from file offset `offset`: explicit bytes, or one repeated
// byte (a 2 MiB fill is not stored byte by byte).
struct Content {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::uint8_t fill = 0;
  Bytes bytes;  // empty: `fill` repeated; else exactly `length` bytes

  std::uint64_t end() const { return offset + length; }
  // The byte at file offset `at` (offset <= at < end()).
  std::uint8_t At(std::uint64_t at) const { return bytes.empty() ? fill : bytes[at - offset]; }
};

// What a completed durability primitive promised.
enum class Promise {
  // The file's data and size as they are now (fsync, fdatasync, syncfs,
  // sync, `pwrite -w/-W`, a clean unmount, the plant's unmount, a shutdown
  // that freezes first).
  kFile,
  // The range's data and the file's size (an O_SYNC/O_DSYNC write,
  // RWF_SYNC/RWF_DSYNC, msync(MS_SYNC) of the range).
  kRange,
};

struct Event {
  enum class Kind {
    kWrite,    // `content` is file data now (may extend the size)
    kZero,     // `range` reads as zero now (punch, zero range)
    kResize,   // the size changed without data: truncate, fallocate; bytes past
               // a smaller size are gone (zero if the file grows again)
    kPromise,  // `promise` completed
    kCrash,    // the filesystem went down (what follows is recovery)
  };
  Kind kind = Kind::kWrite;
  int line = 0;        // the case step that did it
  std::size_t step = 0;  // its index in the case's steps
  std::string what;    // "fsync", "RWF_DSYNC write", "truncate", ...
  Content content;     // kWrite
  std::uint64_t begin = 0, end = 0;  // kZero, kPromise kRange: the byte range
  Promise promise = Promise::kFile;  // kPromise
  // The file's size before and after the event. A write may leave any size
  // in between behind after a crash (i_size grows folio by folio); the other
  // events change it at once.
  std::uint64_t size_before = 0, size_after = 0;
};

struct History {
  std::vector<Event> events;
  bool complete = true;  // false: a step the model does not know ran (no invariant judged)
  std::string incomplete_reason;

  std::uint64_t size() const { return events.empty() ? 0 : events.back().size_after; }
};

// Whether event `e` decides what file offset `at` holds (or promises it):
// a write or zeroing over it, a smaller size cutting it off, a promise that
// covers it.
bool Covers(const Event& e, std::uint64_t at);

// What the file holds, piece by piece, after every event of the history (up
// to its size): the bytes of write event `source` (its Content), or zeros
// (source -1). Adjacent pieces from the same source are one.
struct Piece {
  std::uint64_t begin = 0, end = 0;
  int source = -1;
  bool operator==(const Piece&) const = default;
};
std::vector<Piece> CurrentPieces(const History& history);

// The file ranges worth reading back: every range the history wrote or
// zeroed and a block on each side of every size the file had, aligned to
// `block_size`, merged, in order, at most `limit` bytes in all (the rest is
// a hole nobody wrote).
std::vector<ByteRange> RangesTouched(const History& history, std::uint32_t block_size,
                                     std::uint64_t limit);

}  // namespace eofzero::engine
