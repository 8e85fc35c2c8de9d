// What a matrix will run (pure but for reading its file): each configuration
// of the matrix file is one job — its cases resolved against the catalog —
// and one worker, this same binary running `run --format json` with the
// configuration's options.
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/case_spec.h"
#include "suite/matrix_config.h"
#include "suite/run_options.h"

namespace eofzero::suite {

struct MatrixJob {
  MatrixEntry entry;
  std::vector<std::string> cases;  // resolved names, in catalog order
};

// Loads the matrix file and resolves every configuration's cases. Errors are
// "FILE:LINE: message" (exit 2).
std::expected<std::vector<MatrixJob>, std::string> PlanMatrix(
    const std::filesystem::path& file, const std::vector<engine::CaseSpec>& catalog);

// The worker's arguments after the program name: it writes its JSON report
// to `json_out` and builds its filesystems under `workdir`.
std::vector<std::string> WorkerArgs(const MatrixJob& job, const RunOptions& options,
                                    const std::filesystem::path& workdir,
                                    const std::filesystem::path& json_out);

}  // namespace eofzero::suite
