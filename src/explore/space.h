// The space `eofzero explore` searches (pure): workloads of operations on a
// file whose old EOF is not block aligned and whose EOF block holds a
// sentinel past EOF on disk. Each operation is chosen by class, relative to
// the file's size when it runs (CrashMonkey's ACE idea): where it starts
// (at EOF, inside the EOF block, ...), how long it is (1, 512, bs - 1, ...)
// and what makes it durable (fsync, O_DSYNC, a ranged sync_file_range, ...).
// A class becomes numbers against the size the workload has reached
// (Concretize), and a choice the filesystem must refuse (fcollapse past EOF,
// an unaligned O_DIRECT write, mwrite past the EOF page) or that changes
// nothing (truncate to the size it has) is not in the space: it cannot mean
// anything. Two classes that give the same numbers are one choice.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace eofzero::explore {

enum class Op : std::uint8_t {
  kPwrite,           // buffered pwrite
  kPwriteDirect,     // pwrite through an O_DIRECT descriptor (open -d)
  kPwriteAppend,     // pwrite through an O_APPEND descriptor (open -a)
  kPwriteRwfAppend,  // pwritev2(RWF_APPEND) (pwrite -P)
  kMwrite,           // mmap, stores, msync(MS_SYNC), munmap
  kTruncate,
  kFalloc,
  kFallocKeep,
  kFzero,
  kFzeroKeep,
  kFpunch,
  kFcollapse,
  kFinsert,
  kCopyRange,  // copy_file_range from the second file
  kReflink,    // FICLONERANGE from the second file
};

enum class Offset : std::uint8_t { kEof, kInBlock, kBlockStart, kNextBlock, kNextFolio, kFar };
enum class Length : std::uint8_t { k1, k512, kBsMinus1, kBs, kBsPlus1, kFolio, kFolioPlus1 };
// The names `sweep --sync` uses for the same primitives.
enum class Persist : std::uint8_t { kNone, kFsync, kFdatasync, kODsync, kRwfDsync, kSyncRange,
                                    kSyncfs };

struct OpInfo {
  Op op;
  const char* family;  // the --ops word: xfs_io's command name ("pwrite", "falloc", ...)
  const char* label;   // how a workload shows it: "pwrite O_DIRECT", "falloc -k"
  bool offset;         // takes an offset class (O_APPEND writes land at EOF)
  bool length;         // takes a length class (truncate: a size only)
  bool data_write;     // O_DSYNC and RWF_DSYNC apply (a pwrite)
};
std::span<const OpInfo> Ops();
const OpInfo& InfoOf(Op op);

// The classes' names, as --offsets, --lengths and --persist take them, in
// the order "simplest first" (the reducer moves towards the front).
std::span<const char* const> OffsetNames();   // "eof", "in-block", "block-start", ...
std::span<const char* const> LengthNames();   // "1", "512", "bs-1", ...
std::span<const char* const> PersistNames();  // "none", "fsync", ...
const char* NameOf(Offset o);
const char* NameOf(Length l);
const char* NameOf(Persist p);

// One operation of a workload, as classes.
struct Action {
  Op op = Op::kPwrite;
  Offset offset = Offset::kEof;
  Length length = Length::k1;
  Persist persist = Persist::kNone;
  bool operator==(const Action&) const = default;
};
using Workload = std::vector<Action>;

// What the classes are measured against.
struct Geometry {
  std::uint32_t block_size = 4096;
  std::uint64_t old_eof = 4080;          // the planted file's size: not block aligned
  std::uint64_t folio = 65536;           // "next folio" and the folio length
  std::uint64_t far = 2ull << 20;        // "far": this aligned, at least this far on
  std::uint32_t direct_align = 512;      // O_DIRECT offsets and lengths
  std::uint64_t source_size = 131072;    // the second file (copy_range, reflink)
  bool reflink = true;                   // the filesystem offers FICLONERANGE
  std::uint64_t max_size = 64ull << 20;  // no size past this (the image's room)
};

// An action at a size: its numbers, the size after it, and the byte range
// it touches (what a ranged sync_file_range after it covers).
struct Concrete {
  Action action;
  std::uint64_t offset = 0, length = 0;  // truncate: offset is the new size
  std::uint64_t size_before = 0, size_after = 0;
  std::uint64_t range_begin = 0, range_end = 0;
};
// The numbers `action` stands for when the file is `size` bytes, or nullopt
// when the filesystem must refuse it or it would change nothing.
std::optional<Concrete> Concretize(const Action& action, std::uint64_t size, const Geometry& g);

// Which classes the explorer may choose from.
struct Bounds {
  std::vector<Op> ops;
  std::vector<Offset> offsets;
  std::vector<Length> lengths;
  std::vector<Persist> persists;
};
// Everything (the default of --ops, --offsets, --lengths, --persist).
Bounds DefaultBounds();

// The distinct choices from a file of `size` bytes: valid, and one per set
// of numbers (the first class in the bounds' order stands for the others).
std::vector<Concrete> Choices(std::uint64_t size, const Bounds& b, const Geometry& g);

// The workloads of a given depth, counted, listed and sampled without
// listing them: a workload is a sequence of choices, each from the size the
// ones before it left.
class Space {
 public:
  Space(Bounds bounds, Geometry geometry);
  // Workloads of exactly `depth` operations (saturates at UINT64_MAX).
  std::uint64_t Count(int depth);
  // Every workload of exactly `depth` operations, in order; `visit` returns
  // false to stop.
  template <class F>
  void ForEach(int depth, F&& visit);
  // `n` distinct workloads of `depth` operations, each equally likely, drawn
  // with `seed` (the same seed draws the same ones); every one if n is at
  // least Count(depth).
  std::vector<std::vector<Concrete>> Sample(int depth, std::uint64_t n, std::uint64_t seed);

  const Bounds& bounds() const { return bounds_; }
  const Geometry& geometry() const { return geometry_; }
  const std::vector<Concrete>& ChoicesAt(std::uint64_t size);

 private:
  template <class F>
  bool Walk(int depth, std::uint64_t size, std::vector<Concrete>& path, F& visit);
  // Workloads of `depth` more operations from `size`.
  std::uint64_t Completions(int depth, std::uint64_t size);
  Bounds bounds_;
  Geometry geometry_;
  std::map<std::uint64_t, std::vector<Concrete>> choices_;  // by size
  std::map<std::pair<int, std::uint64_t>, std::uint64_t> completions_;
};

template <class F>
void Space::ForEach(int depth, F&& visit) {
  std::vector<Concrete> path;
  Walk(depth, geometry_.old_eof, path, visit);
}

template <class F>
bool Space::Walk(int depth, std::uint64_t size, std::vector<Concrete>& path, F& visit) {
  if (depth == 0) return visit(static_cast<const std::vector<Concrete>&>(path));
  const std::vector<Concrete> choices = ChoicesAt(size);  // a copy: the cache may grow
  for (const Concrete& c : choices) {
    path.push_back(c);
    const bool go_on = Walk(depth - 1, c.size_after, path, visit);
    path.pop_back();
    if (!go_on) return false;
  }
  return true;
}

// "pwrite O_DIRECT next-block bs, fsync": one line per workload for reports.
std::string Describe(const std::vector<Concrete>& workload);

}  // namespace eofzero::explore
