// The crash model's invariants (pure): what a file may read as before and
// after a crash, from its history (engine/history.h).
//
// Before the crash the file reads exactly as the case wrote it. After it,
// for each byte, the last completed promise that covered it (fsync, an
// O_DSYNC write, the plant's unmount, ...) fixes a value; the byte may read
// as that value, as anything a later write put there, or as zero (an
// unpromised write lost, a later punch or truncate) — never as anything else
// (the sentinel, stale bytes). Four invariants, each judged separately:
//  1. no stale bytes: every byte inside the size is one of those values;
//  2. legal size: the size is one the file had between its last promised
//     size and the crash (a write may leave any size between its start and
//     end: i_size grows folio by folio);
//  3. promised data: a byte a completed promise covered, inside the size the
//     promise made durable, holds the promised value or a later one (zero
//     only if a later step zeroed it);
//  4. clean metadata: fsck finds nothing (judged by oracles/fsck_result.h;
//     named here so reports list all four).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/history.h"
#include "engine/observations.h"

namespace eofzero::oracles {

enum class Invariant { kNoStaleBytes, kLegalSize, kPromisedData, kCleanMetadata };
const char* InvariantName(Invariant i);  // "no stale bytes", "legal size", ...
char InvariantLetter(Invariant i);       // a sweep table cell's: 'S', 'L', 'P', 'M'
inline constexpr Invariant kInvariants[] = {Invariant::kNoStaleBytes, Invariant::kLegalSize,
                                            Invariant::kPromisedData, Invariant::kCleanMetadata};

using FileRead = engine::FileView;

struct InvariantBreak {
  Invariant invariant = Invariant::kNoStaleBytes;
  engine::Oracle oracle = engine::Oracle::kBufferedRead;
  engine::Phase phase = engine::Phase::kAfterCrash;
  std::uint64_t offset = 0;  // the first wrong byte (kLegalSize: the size)
  std::uint64_t count = 0;   // wrong bytes in this read
  std::string evidence;      // one line
  // Which read it was: an oracle's read of the EOF block (nullopt), or the
  // crash model's read-back of these file offsets after the crash
  // (engine::CaseRun::file_views) through `oracle`.
  std::optional<ByteRange> read_back;
};

class CrashModel {
 public:
  explicit CrashModel(const engine::History& history);

  // The file as it must read before the crash, after `events` events.
  std::vector<InvariantBreak> CheckBeforeCrash(const FileRead& read) const;
  // Invariants 1 and 3 for a read after the crash (the first one).
  std::vector<InvariantBreak> CheckAfterCrash(const FileRead& read) const;
  // Invariant 2 for the size after the crash.
  std::vector<InvariantBreak> CheckSize(std::uint64_t size) const;
  // "4080, or 4096 to 8192": the sizes invariant 2 allows.
  std::string LegalSizes() const;
  // The same as closed intervals [lo, hi], sorted and merged.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> LegalSizeRanges() const;
  bool crashed() const { return crash_ < history_.events.size(); }

 private:
  // A run of file offsets that every event covers whole or not at all.
  struct Segment {
    std::uint64_t begin = 0, end = 0;
    int promise = -1;                // the last promise before the crash covering it
    int promised_value = -1;         // its value then: a write event, or -1 for zero
    bool promised_inside = false;    // inside the size that promise made durable
    std::vector<int> later_writes;   // writes after that promise, before the crash
    bool later_zeroed = false;       // zeroed after that promise (punch, truncate)
  };
  std::uint8_t ValueOf(int source, std::uint64_t at) const;
  // The write that set [at] after `events` events, or -1 (zero).
  int SourceAt(std::uint64_t at, std::size_t events) const;
  std::vector<std::uint64_t> Boundaries() const;
  const engine::Event& Ev(int i) const { return history_.events[static_cast<std::size_t>(i)]; }

  const engine::History& history_;
  std::size_t crash_;  // index of the first crash event, or events.size()
  std::vector<Segment> segments_;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> legal_sizes_;  // closed intervals
  int size_promise_ = -1;
};

}  // namespace eofzero::oracles
