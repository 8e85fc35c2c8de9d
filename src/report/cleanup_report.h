// `eofzero cleanup`: what it released of each run that was killed, the runs
// still alive it left alone, or that there was nothing to reclaim.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "scratch/reclaim.h"

namespace eofzero::report {

std::string RenderCleanup(const std::vector<scratch::Reclaimed>& reclaimed,
                          const std::vector<scratch::RunEntry>& live,
                          const std::filesystem::path& registry);

}  // namespace eofzero::report
