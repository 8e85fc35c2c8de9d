// Running a suite of cases (`eofzero run`, and each matrix worker): from the
// options to scratch filesystems, cases, verdicts and the reporter.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "engine/case_spec.h"
#include "oracles/verdict.h"
#include "report/reporter.h"
#include "suite/interrupts.h"
#include "suite/run_options.h"
#include "suite/scratch_provider.h"

namespace eofzero::suite {

// The write log a recording run (--record DIR) writes for a configuration:
// DIR/FS-BS.ezlog.
std::filesystem::path RecordLogPath(const std::filesystem::path& dir, fsdriver::FsType fs,
                                    std::uint32_t block_size);

// Runs the cases on every selected filesystem: one mkfs per filesystem and
// block size the cases need (on images, or in turn on the user's scratch
// device), one file per case. A case that does not apply to a filesystem, or
// needs a block size other than the one the mkfs options set, is reported as
// skipped. Interrupted, it stops early (after cleaning up), reports every
// case it did not run as an ERROR "not run: interrupted by signal N (SIG…)",
// then Reporter::Interrupted. Returns each case's outcome. Needs root: the
// filesystems are MakeScratchProvider's.
std::vector<oracles::Outcome> RunSuite(const RunOptions& options,
                                       const std::vector<const engine::CaseSpec*>& cases,
                                       report::Reporter& reporter);

// The same on the filesystems `scratch` provides, polling `interrupt`
// between cases and configurations (the seam the unit tests use).
std::vector<oracles::Outcome> RunSuite(const RunOptions& options,
                                       const std::vector<const engine::CaseSpec*>& cases,
                                       ScratchProvider& scratch, report::Reporter& reporter,
                                       const InterruptPoll& interrupt);

}  // namespace eofzero::suite
