#include "oracles/fsck_result.h"

#include <array>
#include <string_view>

namespace eofzero::oracles {
namespace {

bool Mentions(const os::ProcessResult& run, std::string_view needle) {
  return run.out.find(needle) != std::string::npos || run.err.find(needle) != std::string::npos;
}

template <std::size_t N>
bool MentionsAny(const os::ProcessResult& run, const std::array<std::string_view, N>& needles) {
  for (auto n : needles) {
    if (Mentions(run, n)) return true;
  }
  return false;
}

// Checked before anything else: a mounted device's check means nothing.
constexpr std::array<std::string_view, 2> kMounted = {" is mounted", "contains a mounted"};
constexpr std::array<std::string_view, 3> kE2fsckReplay = {
    "skipping journal recovery", "needs_recovery flag is clear", "recovery flag is clear"};
constexpr std::array<std::string_view, 2> kXfsReplay = {"valuable metadata changes in a log",
                                                        "log which needs to be replayed"};

FsckResult Make(os::FsckTool tool, FsckVerdict v, std::string reason,
                const os::ProcessResult& run) {
  return FsckResult{tool, v, std::move(reason), run};
}

FsckResult ClassifyE2fsck(const os::ProcessResult& run) {
  const auto tool = os::FsckTool::kE2fsck;
  const std::string code = "e2fsck " + run.Ending();
  if (run.exit_code < 0) return Make(tool, FsckVerdict::kToolError, code, run);  // killed
  // With -n, e2fsck aborts (8) after errors it may not fix; 4 is still set.
  if (run.exit_code < 16 && (run.exit_code & 4) &&
      !MentionsAny(run, kE2fsckReplay)) {
    return Make(tool, FsckVerdict::kCorrupt, code + ": filesystem has errors", run);
  }
  if (run.exit_code >= 8) {
    return Make(tool, FsckVerdict::kToolError, code + " (operational error)", run);
  }
  if (MentionsAny(run, kE2fsckReplay)) {
    return Make(tool, FsckVerdict::kNeedsJournalReplay, code + " without replaying the journal",
                run);
  }
  if (run.exit_code == 0) return Make(tool, FsckVerdict::kClean, code, run);
  // 1/2 ("fixed") cannot happen with -n; treat any other code as errors left.
  return Make(tool, FsckVerdict::kCorrupt, code + ": filesystem has errors", run);
}

FsckResult ClassifyXfsRepair(const os::ProcessResult& run) {
  const auto tool = os::FsckTool::kXfsRepair;
  const std::string code = "xfs_repair " + run.Ending();
  if (run.exit_code < 0) return Make(tool, FsckVerdict::kToolError, code, run);  // killed
  if (MentionsAny(run, kXfsReplay) || run.exit_code == 2) {
    return Make(tool, FsckVerdict::kNeedsJournalReplay, code + ": the log needs replaying", run);
  }
  if (run.exit_code == 0) return Make(tool, FsckVerdict::kClean, code, run);
  if (run.exit_code == 1 && !Mentions(run, "fatal error")) {
    return Make(tool, FsckVerdict::kCorrupt, code + ": corruption found", run);
  }
  return Make(tool, FsckVerdict::kToolError, code + " (could not check)", run);
}

}  // namespace

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

FsckResult ClassifyFsck(os::FsckTool tool, const os::ProcessResult& run) {
  if (MentionsAny(run, kMounted)) {
    return Make(tool, FsckVerdict::kToolError,
                std::string(os::FsckProgram(tool)) + " ran on a mounted filesystem", run);
  }
  return tool == os::FsckTool::kE2fsck ? ClassifyE2fsck(run) : ClassifyXfsRepair(run);
}

FsckResult FsckNotRun(os::FsckTool tool, const os::Error& error) {
  auto v = error.kind == os::ErrorKind::kUnsupported ? FsckVerdict::kToolMissing
                                                     : FsckVerdict::kToolError;
  return FsckResult{tool, v, error.Message(), {}};
}

}  // namespace eofzero::oracles
