// The step language: one xfs_io-style command per line, e.g.
//   pwrite -S 0x42 {eob} {bs}
// Tokens are split on blanks outside braces; '#' starts a comment.
#pragma once

#include <expected>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/case_spec.h"

namespace eofzero::engine {

// A case's name or a `file` word: 1 to kMaxNameLength letters, digits,
// - _ . not starting with - or . (so it is a plain file name).
bool PlainName(std::string_view name);

// Parses one line (comments and blanks already removed by the caller), of at
// most kMaxStepLength characters, into a step of the registry (engine/step.h).
// The error is a one-line message without the FILE:LINE prefix.
//
// `language` is the case's `language` key (0: not given). Language 2 means
// what xfs_io means (`pwrite -D` is RWF_DSYNC; O_DIRECT and O_APPEND are
// `open -d`/`open -a`). Language 1 is the old vocabulary, kept working:
// `pwrite -D` O_DIRECT and `-a` O_APPEND for that write, `-A` RWF_APPEND, in
// 1 MiB calls. Without the key, a step whose meaning differs between the two
// is an error that says so, never silently one or the other.
inline constexpr int kCaseLanguage = 2;
std::expected<Step, std::string> ParseStep(std::string_view text, int line,
                                           int language = kCaseLanguage);

// Checks the order of the steps; the error names the offending step's line.
struct SequenceError {
  int line;
  std::string message;
};
std::expected<void, SequenceError> ValidateSequence(const std::vector<Step>& steps,
                                                    int steps_line);

}  // namespace eofzero::engine
