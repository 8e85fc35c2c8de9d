// Which eofzero made a report: its version (CMakeLists.txt's project
// version) and, when it was built from a git checkout, the commit
// (`git describe --always --dirty`, looked up at build time). Every report
// says it: the human header, the JSON's tool_version and tool_commit, JUnit's
// properties, the markdown summary; `eofzero --version` prints it.
#pragma once

#include <string>

namespace eofzero::report {

struct ToolInfo {
  std::string version;  // "0.1.0"; empty: a report from before versions were recorded
  std::string commit;   // "19cab3e8a6f1-dirty"; empty: not built from a git checkout
  bool operator==(const ToolInfo&) const = default;
};

// This binary's.
ToolInfo ThisTool();

// "eofzero 0.1.0 (commit 19cab3e8a6f1-dirty)", "eofzero 0.1.0", or "eofzero"
// when the version is not known.
std::string ToolIdentity(const ToolInfo& tool);

}  // namespace eofzero::report
