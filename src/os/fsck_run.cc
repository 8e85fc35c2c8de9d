#include "os/fsck_run.h"

namespace eofzero::os {

const char* FsckProgram(FsckTool tool) {
  return tool == FsckTool::kE2fsck ? "e2fsck" : "xfs_repair";
}

std::vector<std::string> FsckArgv(FsckTool tool, const std::string& device) {
  if (tool == FsckTool::kE2fsck) return {"e2fsck", "-fn", device};
  return {"xfs_repair", "-n", device};
}

Result<ProcessResult> RunFsckNoModify(FsckTool tool, const std::string& device) {
  const std::string program = FsckProgram(tool);
  if (!ProgramExists(program)) {
    return Fail(ErrorKind::kUnsupported, program + " not found in PATH: cannot check " + device);
  }
  return RunProcess(FsckArgv(tool, device));
}

}  // namespace eofzero::os
