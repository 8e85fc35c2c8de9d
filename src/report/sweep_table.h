// `eofzero sweep`'s table (pure rendering): per configuration, a row per
// case (and distance) and a column per durability primitive × crash mode,
// each cell one character; then every breaking tuple with the command that
// reruns exactly it.
#pragma once

#include <string>
#include <vector>

#include "oracles/verdict.h"
#include "report/record.h"

namespace eofzero::report {

struct SweepCell {
  std::string config;     // "ext4/4k"
  std::string row;        // "append_write next-folio"
  std::string primitive;  // "fsync"
  std::string crash;      // "nologflush"
  oracles::Outcome outcome = oracles::Outcome::kPass;
  char code = '.';         // SweepCode
  std::string what;        // a failure's one line: which invariant at which step
  std::string rerun;       // the command that reruns exactly this tuple
  int passes = 0, runs = 0;  // over --iterations
};

// '.' pass, 's' skip, 'E' error; a failure: the first broken invariant's
// letter (oracles::InvariantLetter), else its first finding's
// (oracles::FindingKinds: 'G' gap, 'Z' size, 'F' fsck, 'V' two views, 'R' race).
char SweepCode(const oracles::Verdict& verdict);

// The line under the tables that says what each letter means, from the two tables.
std::string SweepLegend();

// The cells of a sweep's record (pure): one per configuration, row,
// primitive, crash mode and point, from its cases' sweep tuples; over
// --iterations, a failure is the cell (the last one; else the first run) and the
// runs and passes are counted.
std::vector<SweepCell> SweepCells(const RunRecord& record);

std::string RenderSweepTable(const std::vector<SweepCell>& cells,
                             const std::vector<std::string>& primitives,
                             const std::vector<std::string>& crashes);

}  // namespace eofzero::report
