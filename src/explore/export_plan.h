// What an exported reproducer does, step by step (pure): a case's steps
// translated to xfs_io commands and to the script's own actions (the plant,
// the remounts, the checks), and the bytes the case allows in its gap. The
// shell script and the fstests test (explore/export.h) are both written
// from one plan, so they do the same thing.
//
// Every step of the case language maps to xfs_io (6.1) in one table
// (export_plan.cc, kStepExports), or cannot be exported (the race steps run
// threads at once; xfs_io runs one command at a time): then the plan is
// refused with a one-line reason. Where xfs_io lacks what the step does
// (O_DSYNC, RWF_APPEND, RWF_SYNC, a freezing shutdown, several
// sync_file_range flags at once) the command is the nearest equivalent and
// carries a note that says so.
#pragma once

#include <bitset>
#include <cstdint>
#include <expected>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/case_spec.h"
#include "engine/expr.h"

namespace eofzero::explore {

// One command for xfs_io's -c, and the case step it stands for.
struct XfsIoCommand {
  std::string text;  // "pwrite -q -S 0x42 4096 4096"; empty: a note alone
  std::string step;  // the case's step ("pwrite -S 0x42 {eob} {bs}"); empty: the export's own
  int line = 0;      // that step's line in the case file
  std::string note;  // why it is written so, when it is not word for word
};

// The bytes the gap [begin, end) may read as, offset by offset: zero, or
// what the case's own steps put there since the plant (a step the plan
// cannot follow byte for byte, a copy or a shift, allows every byte the
// case writes anywhere). Never the sentinel: the plan picks one the case
// never writes.
struct GapBytes {
  std::uint64_t begin = 0, end = 0;
  std::vector<std::bitset<256>> allowed;  // [offset - begin]
  // Whether only zero is allowed everywhere.
  bool OnlyZero() const;
};

// What the script does, in order.
struct ScriptStep {
  enum class Kind {
    kXfsIo,       // one xfs_io process over `commands` on the mounted filesystem
    kPlant,       // the file is eof bytes; FIEMAP, unmount, the sentinel, mount
    kCycleMount,  // unmount and mount: clean, or the recovery after a crash
    kCheckGap,    // after a crash: the gap inside the file holds only allowed bytes
    kCheckSize,   // after a crash: `expect size`
  };
  Kind kind = Kind::kXfsIo;
  std::vector<XfsIoCommand> commands;  // kXfsIo
  bool crash = false;        // kXfsIo: ends with the shutdown; kCycleMount: recovers from it
  bool first_crash = false;  // kCycleMount, kCheckGap: after the case's first crash
  std::uint64_t size = 0;    // kCheckSize
  std::string step;          // the case's step (kCheckGap, kCheckSize, kCycleMount)
  int line = 0;
  // kXfsIo: the gap's reads before the crash in its output (pread -v), the
  // bytes they may show, and the sizes its `stat`s must show, in order.
  int gap_reads = 0;
  std::vector<std::pair<std::uint64_t, int>> sizes;  // (size, line)
  GapBytes gap;  // kXfsIo with gap_reads, kCheckGap: as of then
};

// An xfs_io command the plan uses, with the flag that needs checking
// (fstests' _require_xfs_io_command COMMAND [FLAG]).
using XfsIoNeed = std::pair<std::string, std::string>;

struct ExportPlan {
  std::vector<ScriptStep> steps;
  std::uint64_t eof = 0, eob = 0, eof_block = 0;
  std::uint32_t block_size = 0;
  std::uint8_t sentinel = 0x53;  // a byte the case never writes
  std::string crash_mode;        // of the first crash: freeze, logflush, nologflush
  std::set<XfsIoNeed> needs;
  bool reflink = false;                 // _require_scratch_reflink
  std::vector<std::string> files;       // the case's files, "main" first
};

// The plan of `spec` (parsed, language 2) with its variables. The error is
// one line: the step that cannot be exported and why, with its line.
std::expected<ExportPlan, std::string> PlanExport(const engine::CaseSpec& spec,
                                                  const engine::Variables& vars);

// The step table's answer for the step called `name`: nullopt when the table
// has no entry for it; "" when the step is exported; else why it cannot be.
std::optional<std::string> WhyNotExported(std::string_view name);
// Every step name the table has an entry for.
std::vector<std::string> ExportTableNames();

// The xfs_io commands of the plan's processes after the plant, one a line
// (a reader's "the workload"), notes left out.
std::vector<std::string> WorkloadCommands(const ExportPlan& plan);

}  // namespace eofzero::explore
