// `eofzero sweep` (pure): a case turned into one variant per durability
// primitive × crash mode × crash point × distance, each judged by the crash
// model's invariants (oracles/invariants.h).
//
// A case names its extension and its durability point by position: the
// steps between `plant` and its first `shutdown` are the extension, except
// the flushes there (fsync, fdatasync, syncfs, sync, sync_range, msync and
// pwrite's -w/-W/-D/-Y), which are the durability point the sweep replaces.
// A variant keeps the steps up to the crash point, adds the primitive (a step
// after the extension, or the flag or open mode of the extending pwrites),
// crashes in the mode asked for, remounts and checks the gap; `expect size`
// steps are left out (the invariants judge the size).
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "engine/case_spec.h"

namespace eofzero::suite {

// The primitives, crash modes, points and distances, by their names.
inline constexpr const char* kPrimitives[] = {"none",     "fsync",     "fdatasync",  "o_sync",
                                              "o_dsync",  "rwf_sync",  "rwf_dsync",  "sync_range",
                                              "syncfs",   "sync"};
inline constexpr const char* kCrashModes[] = {"freeze", "logflush", "nologflush"};
inline constexpr const char* kDistances[] = {"next-block", "next-folio", "far"};

struct SweepOptions {
  std::vector<std::string> primitives = {std::begin(kPrimitives), std::end(kPrimitives)};
  std::vector<std::string> crashes = {std::begin(kCrashModes), std::end(kCrashModes)};
  bool all_points = false;  // --points all: after every step from the extension on
  int only_point = 0;       // --points LINE: only the crash after that step (a rerun)
  std::vector<std::string> distances = {std::begin(kDistances), std::end(kDistances)};
  int iterations = 1;
  std::uint64_t seed = 0;
};

// One tuple of the sweep, as a case the engine runs.
struct Variant {
  std::string base;       // the case it came from
  std::string primitive;  // "fsync"
  std::string crash;      // "nologflush"
  int point = 0;          // the line of the step the crash follows
  std::string distance;   // "" when the extension is not one pwrite at an offset
  int iteration = 1;
  engine::CaseSpec spec;  // named base.primitive.crash.pLINE[.distance][.iN]
};

// The variants of one case, or why it cannot be swept (a one-line reason:
// no plant or shutdown, no extension between them). A primitive that does
// not apply to the extension (o_sync on a truncate) gives no variant.
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
