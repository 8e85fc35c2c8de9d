// What the drivers' fsck classifiers share: looking for a phrase in a run's
// output (pure).
#pragma once

#include <initializer_list>
#include <string_view>

#include "os/process.h"

namespace eofzero::fsdriver {

inline bool Mentions(const os::ProcessResult& run, std::string_view needle) {
  return run.out.find(needle) != std::string::npos || run.err.find(needle) != std::string::npos;
}

inline bool MentionsAny(const os::ProcessResult& run, std::initializer_list<std::string_view> needles) {
  for (auto n : needles)
    if (Mentions(run, n)) return true;
  return false;
}

}  // namespace eofzero::fsdriver
