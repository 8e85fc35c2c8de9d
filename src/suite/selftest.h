// `eofzero selftest`: proves that every oracle can fail. On each filesystem it
// runs one case cleanly (the baseline must pass), then with each positive
// control: the sentinel re-planted on the device after the crash, the
// sentinel left in the page cache before it, a file one byte too long after
// it, the first block of a directory of the case's overwritten with the
// sentinel (mapped and written like the plant); and a race case once cleanly
// and once with a writer's sector lost. Each oracle must report the
// fault meant for it. The reporter gets a line per control and then the
// table oracle × filesystem -> detects yes/no.
#pragma once

#include "engine/case_spec.h"
#include "report/selftest_report.h"
#include "suite/interrupts.h"
#include "suite/run_options.h"
#include "suite/scratch_provider.h"

namespace eofzero::suite {

struct SelftestResult {
  bool all_detected = false;  // every oracle on every filesystem saw its fault
  bool setup_failed = false;  // a filesystem could not be built or a run errored
};

// The cases the controls run, from the catalog.
struct SelftestCases {
  const engine::CaseSpec& probe;  // truncate_up
  const engine::CaseSpec& race;   // race_dio_hole: the race checks' control
};
inline constexpr const char* kSelftestProbeCase = "truncate_up";
inline constexpr const char* kSelftestRaceCase = "race_dio_hole";

// The controls it runs on each filesystem, in order ("baseline",
// "stale_after_crash", ...): what oracles::FindingKinds' controls name.
std::vector<std::string> SelftestControls();

// The table's rows, in order ("buffered read (before crash)", ...): what
// `selftest` prints a line of per oracle.
std::vector<std::string> SelftestRowLabels();

// On images under options.workdir (MakeScratchProvider); needs root.
SelftestResult RunSelftest(const RunOptions& options, const SelftestCases& cases,
                           report::SelftestReporter& reporter);

// The same on the filesystems `scratch` provides (the unit tests' seam).
SelftestResult RunSelftest(const RunOptions& options, const SelftestCases& cases,
                           ScratchProvider& scratch, report::SelftestReporter& reporter,
                           const InterruptPoll& interrupt);

}  // namespace eofzero::suite
