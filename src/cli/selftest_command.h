// `eofzero selftest`: proves that every oracle can fail. On each filesystem it
// runs one case cleanly (the baseline must pass), then with each positive
// control: the sentinel re-planted on the device after the crash, the
// sentinel left in the page cache before it, a file one byte too long after
// it, the first block of a directory of the case's overwritten with the
// sentinel (mapped and written like the plant). Each oracle must report the
// fault meant for it. Prints a table
// oracle x filesystem -> detects yes/no.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cli/options.h"
#include "engine/case_spec.h"

namespace eofzero::cli {

struct SelftestResult {
  bool all_detected = false;  // every oracle on every filesystem saw its fault
  bool setup_failed = false;  // a filesystem could not be built or a run errored
};

// `probe_case` is the case the controls run (truncate_up from the catalog).
SelftestResult RunSelftest(const suite::RunOptions& options, const engine::CaseSpec& probe_case,
                           std::ostream& out);

}  // namespace eofzero::cli
