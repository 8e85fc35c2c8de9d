#include "os/fsck_run.h"

namespace eofzero::os {

const char* FsckProgram(FsckTool tool) {
  return tool == FsckTool::kE2fsck ? "e2fsck" : "xfs_repair";
}

std::vector<std::string> FsckArgv(FsckTool tool, const std::string& device, FsckSource source) {
  if (tool == FsckTool::kE2fsck) return {"e2fsck", "-fn", device};
  if (source == FsckSource::kImageFile) return {"xfs_repair", "-n", "-f", device};
  return {"xfs_repair", "-n", device};
}

Result<ProcessResult> RunFsckNoModify(System& system, FsckTool tool, const std::string& device,
                                      FsckSource source) {
  auto run = system.Run(FsckArgv(tool, device, source));
  if (!run && run.error().kind == ErrorKind::kUnsupported)
    return Fail(ErrorKind::kUnsupported,
                std::string(FsckProgram(tool)) + " not found in PATH: cannot check " + device);
  return run;
}

}  // namespace eofzero::os
