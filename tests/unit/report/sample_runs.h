// Case runs for the reporter tests: an xfs append_write whose raw-device view
// after the crash holds the sentinel in its gap, and its passing twin.
#pragma once

#include <algorithm>
#include <string>

#include "engine/observations.h"
#include "engine/sentinel.h"

namespace eofzero::report::sample {

inline engine::CaseRun MakeRun(const std::string& name, engine::RunStatus status,
                               std::string reason = "") {
  engine::CaseRun run;
  run.case_name = name;
  run.status = status;
  run.reason = std::move(reason);
  return run;
}

inline engine::CaseRun FailedRun() {
  engine::CaseRun run = MakeRun("append_write", engine::RunStatus::kCompleted);
  run.block_size = 4096;
  run.old_eof = 4080;
  run.seconds = 0.42;
  run.sizes = {{engine::Phase::kAfterCrash, 12, 8192, 8192}};
  run.plant = engine::PlantRecord{{0, 40960, 4096, 1}, 40960, 4096, true, true};
  engine::BlockView raw;
  raw.oracle = engine::Oracle::kRawDevice;
  raw.phase = engine::Phase::kAfterCrash;
  raw.base_offset = 40960;
  raw.bytes = engine::SentinelBlock(4096);
  raw.gap = {4080, 4096};
  run.views.push_back(raw);
  return run;
}

// The FailedRun with a zero gap.
inline engine::CaseRun PassedRun(const std::string& name) {
  engine::CaseRun run = FailedRun();
  run.case_name = name;
  std::fill(run.views[0].bytes.begin() + 4080, run.views[0].bytes.end(), 0);
  return run;
}

// A case a SIGINT kept from starting, as `eofzero run` reports it.
inline engine::CaseRun NotRunRun(const std::string& name) {
  engine::CaseRun run =
      MakeRun(name, engine::RunStatus::kError, "not run: interrupted by signal 2 (SIGINT)");
  run.interrupted = true;
  return run;
}

}  // namespace eofzero::report::sample
