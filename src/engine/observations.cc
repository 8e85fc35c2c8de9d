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

}  // namespace eofzero::engine
