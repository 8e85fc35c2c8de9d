// `eofzero explore`: the planned runs (suite/explore_plan.h) on each
// configuration the options select, each configuration's runs on one mkfs
// (RunSuite, so every oracle, the crash model and fsck judge them as they
// judge any case); then each group of failing runs reduced, one round of
// candidates per RunSuite (explore/reduce.h, syzkaller's order: drop an
// operation, weaken a persistence, a smaller length, a nearer offset; a
// candidate counts only when it shows the same finding), the reduced run
// rerun `confirm` times, and its signature matched with the catalog's.
#pragma once

#include <ostream>
#include <vector>

#include "engine/case_spec.h"
#include "explore/export.h"
#include "os/error.h"
#include "suite/explore_plan.h"
#include "suite/run_options.h"

namespace eofzero::suite {

struct ExploreResult {
  std::vector<Finding> findings;
  std::vector<ExploreConfigRow> configs;  // each configuration's runs
  ExploreCounts totals;                   // every configuration's
  double reduce_seconds = 0;
  // Why a configuration could not be explored ("xfs/4k: ..."), or a run
  // that was an ERROR (the first few).
  std::vector<std::string> problems;
  bool interrupted = false;
};

// `catalog`: the cases whose shapes a finding is matched with. Progress
// (a line per configuration, each FAIL and ERROR) goes to `out`.
ExploreResult RunExploration(const RunOptions& run, const ExploreOptions& options,
                             const std::vector<const engine::CaseSpec*>& catalog,
                             std::ostream& out);

// A finding's folder `dir`/`folder` as `eofzero export` writes it (NAME.toml,
// repro.sh, fstests/NNN, fstests/NNN.out, report.md), each file new.
os::Status WriteExportFolder(const std::filesystem::path& dir, const std::string& folder,
                             const explore::Exported& files);

// The exploration's report (suite/explore_report.h): its options, counts
// and findings; `interrupt_signal` the signal that stopped it (0: none).
ExploreReport ReportOf(const RunOptions& run, const ExploreOptions& options,
                       const ExploreResult& result, int interrupt_signal);

}  // namespace eofzero::suite
