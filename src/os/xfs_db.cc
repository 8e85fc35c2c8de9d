#include "os/xfs_db.h"

namespace eofzero::os {

std::vector<std::string> XfsDbArgv(const std::string& device,
                                   const std::vector<std::string>& commands) {
  std::vector<std::string> argv = {"xfs_db", "-r"};
  for (const auto& c : commands) {
    argv.push_back("-c");
    argv.push_back(c);
  }
  argv.push_back(device);
  return argv;
}

Result<ProcessResult> RunXfsDbReadOnly(const std::string& device,
                                       const std::vector<std::string>& commands) {
  if (!ProgramExists("xfs_db")) {
    return Fail(ErrorKind::kUnsupported,
                "xfs_db not found in PATH (install xfsprogs): cannot read " + device + " offline");
  }
  EOFZERO_ASSIGN_OR_RETURN(auto run, RunProcess(XfsDbArgv(device, commands)));
  if (!run.ok()) return Fail(ErrorKind::kChild, run.Describe());
  return run;
}

}  // namespace eofzero::os
