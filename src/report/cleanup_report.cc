#include "report/cleanup_report.h"

#include <sstream>

namespace eofzero::report {

std::string RenderCleanup(const std::vector<scratch::Reclaimed>& reclaimed,
                          const std::vector<scratch::RunEntry>& live,
                          const std::filesystem::path& registry) {
  std::ostringstream out;
  for (const auto& r : reclaimed) out << "reclaimed: " << scratch::Describe(r) << "\n";
  for (const auto& run : live)
    out << "left alone: run " << run.owner.pid << " is still running"
        << (run.run_dir ? " (in " + run.run_dir->path + ")" : "") << "\n";
  if (reclaimed.empty()) out << "nothing to reclaim (registry: " << registry.string() << ")\n";
  return out.str();
}

}  // namespace eofzero::report
