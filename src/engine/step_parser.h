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
std::expected<Step, std::string> ParseStep(std::string_view text, int line);

// Checks the order of the steps; the error names the offending step's line.
struct SequenceError {
  int line;
  std::string message;
};
std::expected<void, SequenceError> ValidateSequence(const std::vector<Step>& steps,
                                                    int steps_line);

}  // namespace eofzero::engine
