// The case model: a case is data (a file in cases/), parsed into these plain
// structs, validated, then interpreted by the engine (engine/scenario.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/expr.h"
#include "engine/step.h"
#include "fsdriver/registry.h"

namespace eofzero::engine {

// Limits on what a case file may say (docs/cases.md's case language lists
// them); anything beyond one is an error when the file is loaded.
inline constexpr std::size_t kMaxCaseFileBytes = 1 << 20;
// A case's name and a `file` word: letters, digits, - _ . and at most this
// long, so the on-disk name case_NAME.FILE (at most 134 bytes) stays well
// under NAME_MAX (255).
inline constexpr std::size_t kMaxNameLength = 64;
// One step, once its comment and the blanks around it are removed.
inline constexpr std::size_t kMaxStepLength = 1024;
// Steps in a case (the shipped ones have at most 20): each may mount,
// unmount or sync, so many thousands would run for hours.
inline constexpr std::size_t kMaxSteps = 1000;

struct CaseSpec {
  std::string name;
  std::string purpose;  // one line: what it does and why it matters
  std::string source;   // the file it came from
  bool in_default_suite = false;
  int language = 0;  // the `language` key: 1, 2 (engine/step_parser.h), 0 not given
  std::vector<fsdriver::FsType> filesystems;  // empty: any
  std::optional<std::uint32_t> block_size;   // needs a filesystem of this block size
  std::optional<Expr> gap;                   // unset: the run's --gap
  Expr eof;                                  // default {bs - gap}
  int gap_line = 0, eof_line = 0;            // where they were set (0: not in the file)
  std::vector<Step> steps;
};

}  // namespace eofzero::engine
