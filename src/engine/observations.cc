#include "engine/observations.h"

namespace eofzero::engine {

const char* OracleName(Oracle o) {
  switch (o) {
    case Oracle::kBufferedRead:
      return "buffered-read";
    case Oracle::kMmap:
      return "mmap";
    case Oracle::kDirectRead:
      return "direct-read";
    case Oracle::kOffline:
      return "offline";
    case Oracle::kRawDevice:
      return "raw-device";
  }
  return "?";
}

const char* PhaseName(Phase p) { return p == Phase::kBeforeCrash ? "before crash" : "after crash"; }

std::optional<ResumeState> ResumeFrom(const CaseRun& run) {
  if (!run.plant || !run.crash_point) return std::nullopt;
  return ResumeState{run.case_name, run.case_file, run.case_text, run.altered_by,
                     *run.plant,    *run.crash_point, run.history};
}

}  // namespace eofzero::engine
