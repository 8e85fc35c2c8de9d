// `eofzero sweep` (pure): a case turned into one variant per durability
// primitive × crash mode × crash point × distance, each judged by the crash
// model's invariants (oracles/invariants.h).
//
// A case names its extension and its durability point by position: the
// steps between `plant` and its first `shutdown` are the extension, except
// the flushes after its last step that changes the file (fsync, fdatasync,
// syncfs, sync, sync_range, msync) and pwrite's -w/-W/-D/-Y, which are the
// durability point the sweep replaces (a flush that a later step of the
// extension follows, like mmap_write_then_extend's msync before its
// truncate, is part of the extension and stays). A variant keeps the steps
// up to the crash point, adds the primitive (steps where the case's own
// flushes were, or after the extension when it has none; or the flag or open
// mode of the extending pwrites), crashes in the mode asked for, and goes on
// with the case's own steps after its first shutdown. `expect size` steps
// are left out (the invariants judge the size), except in the one variant
// that is the case as written (AsWritten), which runs exactly its steps.
#pragma once

#include <cstdint>
#include <cstddef>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "engine/case_spec.h"

namespace eofzero::suite {

// The primitives, crash modes, points and distances, by their names.
//  - sync_range: sync_file_range(WAIT_BEFORE|WRITE|WAIT_AFTER) of each range
//    the extension wrote (as generic/790 and generic/794 do: never the old
//    EOF block unless the extension wrote into it); it does not apply to an
//    extension that writes no data or whose range is not known (a truncate,
//    a fallocate, an O_APPEND write after another change, the race steps);
//  - sync_range_file: the same call over the whole file (offset 0, length
//    0), which writes back the zeroed EOF block too.
inline constexpr const char* kPrimitives[] = {
    "none",      "fsync",      "fdatasync",       "o_sync", "o_dsync", "rwf_sync",
    "rwf_dsync", "sync_range", "sync_range_file", "syncfs", "sync"};
inline constexpr const char* kCrashModes[] = {"freeze", "logflush", "nologflush"};
// Where a one-pwrite extension writes: at the case's own offset
// (`as-written`; a case whose offset is one of the others' is swept under
// that name: append_write's `{eob}` is next-block), or at one of these.
inline constexpr const char* kDistances[] = {"as-written", "next-block", "next-folio", "far"};

// Which slice of the tuples a sweep worker runs: the K-th (1-based) of N
// (suite/sweep_shards.h).
struct SweepSlice {
  std::size_t index = 1, count = 1;
};

struct SweepOptions {
  std::vector<std::string> primitives = {std::begin(kPrimitives), std::end(kPrimitives)};
  std::vector<std::string> crashes = {std::begin(kCrashModes), std::end(kCrashModes)};
  bool all_points = false;  // --points all: after every step from the extension on
  int only_point = 0;       // --points LINE: only the crash after that step (a rerun)
  std::vector<std::string> distances = {std::begin(kDistances), std::end(kDistances)};
  int iterations = 1;
  std::uint64_t seed = 0;
  unsigned jobs = 1;  // -j: worker processes, each on a slice of the tuples (1: this process)
  // A worker of `sweep -j`: its slice, and where its JSON report goes (its
  // --format and --output are ignored).
  std::optional<SweepSlice> worker;
  std::string worker_output;
};

// One tuple of the sweep, as a case the engine runs.
struct Variant {
  std::string base;       // the case it came from
  std::string primitive;  // "fsync"
  std::string crash;      // "nologflush"
  int point = 0;          // the line of the step the crash follows
  std::string distance;   // "" when the extension is not one pwrite at an offset
  int iteration = 1;
  engine::CaseSpec spec;  // named base.primitive.crash[.pLINE][.distance][.iN]
};

// The tuple that is the case as written: its own durability point as one of
// kPrimitives, its shutdown's crash mode, and the distance of its own offset
// ("" when distances do not apply), crashing after the last step (the
// default point). Its variant runs exactly the case's steps, `expect size`
// included, so its verdict is the case's. The error is a one-line reason: no
// extension, or a durability point that no primitive reproduces.
struct AsWrittenTuple {
  std::string primitive, crash, distance;
};
std::expected<AsWrittenTuple, std::string> AsWritten(const engine::CaseSpec& spec);

// The variants of one case, or why it cannot be swept (a one-line reason:
// no plant or shutdown, no extension between them). A primitive that does
// not apply to the extension (o_sync or sync_range on a truncate) gives no
// variant.
std::expected<std::vector<Variant>, std::string> PlanSweep(const engine::CaseSpec& spec,
                                                           const SweepOptions& options);

// The variants of every case, shuffled by options.seed when it is not 0
// (the same seed gives the same order); reasons for cases left out.
struct SweepPlan {
  std::vector<Variant> variants;
  std::vector<std::string> left_out;  // "case: reason"
};
SweepPlan PlanSweep(const std::vector<const engine::CaseSpec*>& cases, const SweepOptions& options);

}  // namespace eofzero::suite
