// Which crash states of a write log (scratch/write_log.h) a case's crash
// implies, addressed as scratch/log_replay.h addresses them. Pure.
//
// The window is what the device received from the end of the case's plant
// to the end of its crash step (the shutdown): the case's own steps, the
// extension and its durability primitives, and what the shutdown flushed.
// Barriers are counted from the log's start; K0 is the last barrier logged
// by the end of the plant (the plant's promise holds from there), K1 the
// last one logged by the end of the crash step. For each K from K0 to K1 the
// states are K itself plus K with subsets of epoch K's changes (only those
// before the window's end): every subset when the epoch has at most
// `subset_limit` changes; else every in-order prefix and `samples` subsets
// drawn with `seed`. With `torn`, also each multi-sector write of the epoch
// torn after its first sector, half its sectors and all but its last
// sector, with the changes before it applied whole (a device that persists
// in order and lost power inside one write).
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "os/bytes.h"
#include "scratch/log_replay.h"
#include "scratch/write_log.h"

namespace eofzero::scratch {

struct StatePlanOptions {
  std::uint32_t subset_limit = 8;  // all 2^n subsets up to this many changes in an epoch
  std::uint32_t samples = 32;      // random subsets of a larger epoch
  std::uint64_t seed = 0;
  bool torn = false;
};

struct StatePlan {
  std::uint64_t first_barrier = 0;  // K0
  std::uint64_t last_barrier = 0;   // K1
  std::vector<StateAddress> states;  // in order, each once
  std::size_t window_changes = 0;    // changes logged from K0's epoch to the window's end
  // Every byte range a change of the window touches: outside them every
  // state reads as state K0 does (what deduplication compares).
  std::vector<ByteRange> touched;
};

// The step sequence number each record was issued under (the last step
// record at or before it; 0 before the first).
std::vector<std::uint64_t> StepOfRecords(const ParsedLog& log);

// How many barriers the log holds by the end of step `sequence`: before the
// first record of a later step (every barrier, if none follows). A promise
// that step made holds in state K when K is at least this.
std::uint64_t BarriersBy(const ParsedLog& log, std::uint64_t sequence);

// The states of the crash whose plant ran as step `plant_sequence` and
// whose crash as `crash_sequence` (the log's step numbers); an error when
// those steps are not in the log in that order.
std::expected<StatePlan, std::string> PlanCrashStates(const ParsedLog& log,
                                                      std::uint64_t plant_sequence,
                                                      std::uint64_t crash_sequence,
                                                      const StatePlanOptions& options);

// The text of each step (its step record's payload) whose changes `state`
// applies from epoch K, in order, each once: "append_write:14: sync_range …".
std::vector<std::string> StepsOfState(const ParsedLog& log, const StateAddress& state);

// The positive control of the state checks: the last write of the window
// (see PlanCrashStates) that covers any of `range` (device bytes) is
// changed to carry `bytes` (range.size() of them) there. Returns which
// record changed ("record 113: write 16953344 +4096 during append_write:15:
// shutdown -f"), or nullopt when no write of the window covers the range.
std::optional<std::string> PlantInLoggedWrite(ParsedLog& log, std::uint64_t plant_sequence,
                                              std::uint64_t crash_sequence, ByteRange range,
                                              ByteView bytes);

}  // namespace eofzero::scratch
