#include "report/views_evidence.h"

#include <sstream>

namespace eofzero::report {
namespace {

void Fsck(std::ostream& os, const char* view, const oracles::FsckResult& f) {
  os << "    fsck, " << view << ": "
     << (f.run.argv.empty() ? oracles::FsckProgramOf(f.fs) : f.run.CommandLine()) << ": " << f.reason
     << "\n";
  std::istringstream lines(f.run.out + f.run.err);
  for (std::string line; std::getline(lines, line);) os << "      | " << line << "\n";
}

}  // namespace

std::string RenderViewsEvidence(const oracles::DiskViewsDisagreement& views) {
  std::ostringstream os;
  os << "    " << oracles::kCacheDisagrees << ":\n"
     << "      the kernel's view: " << views.kernel_source << ", " << views.kernel_how << "\n"
     << "      the disk's view: " << views.disk_source << ", " << views.disk_how << "\n";
  for (const auto& d : views.differences) os << "      differs: " << d << "\n";
  Fsck(os, "the kernel's view", views.kernel_fsck);
  Fsck(os, "the disk's view", views.disk_fsck);
  if (!views.metadata_diff.empty()) {
    os << "    " << views.metadata_tool
       << ", the lines that differ (- the kernel's view, + the disk's):\n";
    for (const auto& line : views.metadata_diff) os << "      " << line << "\n";
  }
  return os.str();
}

}  // namespace eofzero::report
