// The renderers behind explore/export.h (pure), sharing one shell body: the
// reproducer and the fstests test run the same commands, in the dialect of
// each (the script's own mount helpers and variables, or fstests').
#pragma once

#include <string>
#include <vector>

#include "explore/export.h"
#include "explore/export_plan.h"

namespace eofzero::explore {

// How the shell body names things.
struct ShellDialect {
  std::string xfs_io;        // "xfs_io", "$XFS_IO_PROG"
  std::string mnt;           // "$mnt", "$SCRATCH_MNT"
  std::string dev;           // "$dev", "$SCRATCH_DEV"
  std::string mount;         // "do_mount", "_scratch_mount"
  std::string umount;        // "do_umount", "_scratch_unmount"
  std::string setup_failed;  // "setup_failed", "_fail"
  std::string tmp;           // "$tmp/", "$tmp."  (then the file's name)
  bool fstests = false;      // recovery by _scratch_cycle_mount; no self-test
};

// The lines a correct filesystem makes the checks print, in order (the
// golden output's, after its first line).
std::vector<std::string> ExpectedLines(const ExportPlan& plan, const ExportFinding& f);

// The shell functions the body uses, the case's numbers, `setup` (the
// script's mkfs and mount), then every step of the plan.
std::string ShellBody(const ExportPlan& plan, const ExportFinding& f, const ShellDialect& d,
                      const std::string& setup);

// "gap [4080, 4096)"
std::string GapLabel(const ExportPlan& plan);

std::string RenderScript(const ExportCase& c, const ExportFinding& f, const ExportPlan& plan,
                         const std::string& name);
std::string RenderFstests(const ExportCase& c, const ExportFinding& f, const ExportPlan& plan,
                          const std::string& name);
std::string RenderGolden(const ExportPlan& plan, const ExportFinding& f);
std::string RenderReport(const ExportCase& c, const ExportFinding& f, const ExportPlan& plan,
                         const std::string& name, const std::string& script);

// The start of a file's comment block: `text` wrapped at 76 columns, each
// line prefixed with "# ".
std::string CommentBlock(const std::string& text);

// How the crash is done, in words: "FS_IOC_SHUTDOWN with LOGFLUSH".
std::string CrashWords(const std::string& mode);

// The filesystem's fsck in no-modify mode without its device ("e2fsck -fn"),
// and its program ("e2fsck"): the driver's (export_script.cc).
std::string FsckCommand(const std::string& fs);
std::string FsckProgram(const std::string& fs);

}  // namespace eofzero::explore
