#include "oracles/fsck_result.h"

namespace eofzero::oracles {

const char* FsckVerdictName(FsckVerdict v) {
  switch (v) {
    case FsckVerdict::kClean:
      return "clean";
    case FsckVerdict::kCorrupt:
      return "corrupt";
    case FsckVerdict::kNeedsJournalReplay:
      return "needs journal replay";
    case FsckVerdict::kToolMissing:
      return "tool missing";
    case FsckVerdict::kToolError:
      return "tool error";
  }
  return "?";
}

FsckResult ClassifyFsck(fsdriver::FsType fs, const os::ProcessResult& run) {
  fsdriver::FsckClass c = fsdriver::Driver(fs).ClassifyFsck(run);
  return FsckResult{fs, c.verdict, std::move(c.reason), run};
}

FsckResult FsckNotRun(fsdriver::FsType fs, const os::Error& error) {
  auto v = error.kind == os::ErrorKind::kUnsupported ? FsckVerdict::kToolMissing
                                                     : FsckVerdict::kToolError;
  return FsckResult{fs, v, error.Message(), {}};
}

std::string FsckProgramOf(fsdriver::FsType fs) {
  return std::string(fsdriver::Driver(fs).FsckProgram());
}

}  // namespace eofzero::oracles
