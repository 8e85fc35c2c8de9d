// `eofzero log show LOG`: a write log (scratch/write_log.h) for a person, one
// line per record, grouped by flush epoch and case step. A change (write,
// discard, zero-range) is numbered within its epoch, as `log replay --state
// K:SUBSET` counts them.
#pragma once

#include <string>

#include "scratch/write_log.h"

namespace eofzero::report {

// Pure: the listing; `name` is the log's path as the user gave it.
std::string RenderLogListing(const std::string& name, const scratch::ParsedLog& log);

}  // namespace eofzero::report
