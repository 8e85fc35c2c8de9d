// A workload of the explorer's space as a case (pure): the case file's text,
// in the case language every other case is written in (language 2, xfs_io's
// vocabulary), so every engine feature judges it unchanged. The start state
// is fixed: a second file `src` for copy_range and reflink, then the planted
// file (`pwrite` to the EOF block's end, `truncate` to the old EOF, both made
// durable, `plant`); then the workload's operations, each with its
// persistence; `check gap` before the crash; the crash in the mode asked
// for; `cycle_mount`; `check gap` after it (the crash model's invariants,
// the five oracles, fsck on both views).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "explore/space.h"

namespace eofzero::explore {

// How the run crashes: the names `sweep --crash` uses.
enum class CrashMode : std::uint8_t { kFreeze, kLogflush, kNologflush };
std::span<const char* const> CrashModeNames();  // "freeze", "logflush", "nologflush"
const char* NameOf(CrashMode m);
// The case language's step for a crash in this mode ("shutdown -f").
const char* ShutdownStep(CrashMode m);

// One run of the explorer: a workload crashed after its last operation.
struct Run {
  std::vector<Concrete> workload;
  CrashMode crash = CrashMode::kLogflush;
};

// The steps of the workload's operations, one line each (no comments).
std::vector<std::string> OperationLines(const std::vector<Concrete>& workload);

// The case file for `run`: named `name`, for one block size and gap.
std::string CaseText(const Run& run, const std::string& name, const Geometry& g,
                     const std::string& purpose);

// A name for the run that is the same for the same run: "x" and 16 hex
// digits of a hash of its steps and crash mode (case names are at most 64
// characters; a workload's description is longer).
std::string RunName(const Run& run, const Geometry& g);

// The pattern byte operation `index` writes: 'a', 'b', ... (never a byte of
// the sentinel, so a stale byte and a written one are told apart).
std::uint8_t PatternOf(std::size_t index);

}  // namespace eofzero::explore
