#include "report/tool_version.h"

#include "eofzero_version.h"  // generated at build time (cmake/version.cmake)

namespace eofzero::report {

ToolInfo ThisTool() { return {EOFZERO_VERSION_STRING, EOFZERO_COMMIT_STRING}; }

std::string ToolIdentity(const ToolInfo& tool) {
  std::string s = "eofzero";
  if (!tool.version.empty()) s += " " + tool.version;
  if (!tool.commit.empty()) s += " (commit " + tool.commit + ")";
  return s;
}

}  // namespace eofzero::report
