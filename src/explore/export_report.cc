// The finding report (report.md): what a filesystem mailing list needs to
// see the bug without eofzero — the configuration, the workload as xfs_io
// lines, the promise that was broken, the evidence, the reproducer inline.
#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "explore/export_render.h"

namespace eofzero::explore {
namespace {

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string Headline(const ExportFinding& f) {
  if (f.verdict != "FAIL") return "no finding on this kernel: the promises held";
  if (Has(f.kinds, "gap") || Has(f.broken, "no stale bytes"))
    return "stale bytes past the old EOF become file data after a crash";
  if (Has(f.broken, "legal size")) return "the size after a crash is not one the file had";
  if (Has(f.kinds, "size")) return "the size after a crash is not the one expected";
  if (Has(f.broken, "promised data")) return "data a completed fsync promised is lost in a crash";
  if (f.Metadata()) return "fsck finds corruption after the recovery";
  return "a promise broken in a crash";
}

std::string Promises(const ExportCase& c, const ExportFinding& f, const ExportPlan& plan) {
  std::string out;
  auto para = [&out](const std::string& text) { out += text + "\n\n"; };
  const bool gap = Has(f.kinds, "gap") || Has(f.broken, "no stale bytes");
  if (gap || f.verdict != "FAIL")
    para(fmt::format(
        "**Bytes past EOF are not file data.** When a file whose EOF is not block aligned (here "
        "{eof}, in a {bs}-byte block) grows, the {gap} bytes from the old EOF to the end of its "
        "block, [{eof}, {eob}), must read as zero, or as what the workload itself wrote there, "
        "before and after a crash: never as what that block held on disk before (another file's "
        "data, once).{broken}",
        fmt::arg("eof", plan.eof), fmt::arg("bs", plan.block_size),
        fmt::arg("gap", plan.eob - plan.eof), fmt::arg("eob", plan.eob),
        fmt::arg("broken", gap ? " Here they read as the bytes planted on disk before the "
                                 "workload: stale data became file data."
                               : "")));
  if (Has(f.broken, "legal size") || (f.verdict != "FAIL" && !f.legal_sizes.empty()))
    para(fmt::format(
        "**The size after a crash is one the file had** between the last size a completed "
        "promise made durable (fsync, an O_DSYNC write, a clean unmount, ...) and the crash: "
        "here {}.",
        f.legal_sizes.empty() ? "(not judged)" : f.legal_sizes));
  if (Has(f.kinds, "size"))
    para("**The size the case expects after the crash** (its `expect size`) did not hold.");
  if (Has(f.broken, "promised data"))
    para("**Data a completed promise covered survives a crash** (fsync, fdatasync, an "
         "O_DSYNC/RWF_DSYNC write, msync(MS_SYNC)): it did not.");
  if (f.Metadata())
    para(fmt::format("**After the recovery the filesystem is consistent**: {} must find "
                     "nothing. It did.",
                     FsckCommand(c.fs)));
  for (const char* kind : {"disagreement", "views", "race"})
    if (Has(f.kinds, kind))
      para(fmt::format("eofzero also reported a finding of kind `{}` (see its evidence); the "
                       "reproducer does not check that one.",
                       kind));
  return out;
}

// The lines of eofzero's evidence a reader needs: the invariants broken, the
// sizes allowed, and the first read with its hexdump.
std::string EvidenceExcerpt(const std::string& evidence) {
  std::vector<std::string> lines;
  std::istringstream in(evidence);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::string out;
  int invariants = 0;
  for (const auto& l : lines)
    if ((l.find("invariant '") != std::string::npos && ++invariants <= 2) ||
        l.find("the crash model allows") != std::string::npos)
      out += l + "\n";
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    // A read's line, then its hexdump (indented deeper).
    if (!lines[i].starts_with("    ") || lines[i].starts_with("      ")) continue;
    if (lines[i].find("gap bytes") == std::string::npos) continue;
    out += lines[i] + "\n";
    for (std::size_t k = i + 1; k < lines.size() && lines[k].starts_with("      "); ++k)
      out += lines[k] + "\n";
    break;
  }
  for (const auto& l : lines)
    if (l.find("(^^ sentinel") != std::string::npos) out += l + "\n";
  return out.empty() ? evidence : out;
}

std::string XfsIoLines(const ScriptStep& s, bool crash) {
  std::string out = std::string("xfs_io ") + (crash ? "-x " : "") + "-f \\\n";
  for (const auto& c : s.commands)
    if (!c.text.empty()) out += "\t-C \"" + c.text + "\" \\\n";
  return out + "\tmain\n";
}

}  // namespace

std::string RenderReport(const ExportCase& c, const ExportFinding& f, const ExportPlan& plan,
                         const std::string& name, const std::string& script) {
  std::string mkfs;
  for (const auto& w : c.mkfs) mkfs += w + " ";
  std::string out = fmt::format("# {}: {} ({})\n\n", c.fs, Headline(f), c.case_name);
  out += fmt::format(
      "Found by {} (`eofzero export` made this report, the reproducer and the fstests test). "
      "The case: {}.\n\n",
      c.tool, c.case_name);
  out += "| | |\n| --- | --- |\n";
  out += fmt::format("| kernel | {} |\n", c.kernel);
  out += fmt::format("| filesystem | {}, {}-byte blocks |\n", c.fs, plan.block_size);
  out += fmt::format("| mkfs | `{}DEVICE` |\n", mkfs);
  out += fmt::format("| mount options | {} |\n",
                     c.mount_options.empty() ? "(the kernel's defaults)" : "`" + c.mount_options + "`");
  out += fmt::format("| crash | {} |\n", CrashWords(plan.crash_mode));
  out += fmt::format("| verdict | {}{} |\n", f.verdict, f.summary.empty() ? "" : ": " + f.summary);
  out += fmt::format("| eofzero | {} |\n\n", c.tool);
  out += "## The promise" + std::string(f.verdict == "FAIL" ? " that was broken" : "") + "\n\n";
  out += Promises(c, f, plan);
  out += "## The workload\n\n";
  bool planted = false;
  for (const ScriptStep& s : plan.steps) {
    switch (s.kind) {
      case ScriptStep::Kind::kXfsIo:
        out += !planted ? "The start, on a new filesystem (`main` is the file):\n\n"
               : s.crash ? "The workload and the crash, in one xfs_io process (its descriptors "
                           "stay open through the shutdown):\n\n"
                         : "Then, in one xfs_io process:\n\n";
        out += "```\n" + XfsIoLines(s, s.crash) + "```\n\n";
        break;
      case ScriptStep::Kind::kPlant:
        planted = true;
        out += fmt::format(
            "The plant: `main` is {eof} bytes; FIEMAP (`xfs_io -r -c \"fiemap -v\" main`) finds "
            "its EOF block on the device; the filesystem is unmounted and the {gap} bytes past "
            "EOF in that block are overwritten with 0x{s:02x} through the device (`xfs_io -c "
            "\"pwrite -S 0x{s:02x} OFFSET {gap}\" -c fsync DEVICE`), read back, and it is "
            "mounted again: stale bytes past EOF, as a block that held other data has them.\n\n",
            fmt::arg("eof", plan.eof), fmt::arg("gap", plan.eob - plan.eof),
            fmt::arg("s", plan.sentinel));
        break;
      case ScriptStep::Kind::kCycleMount:
        out += s.crash ? "Then unmount and mount: the recovery.\n\n" : "Then unmount and mount.\n\n";
        break;
      case ScriptStep::Kind::kCheckSize:
      case ScriptStep::Kind::kCheckGap:
        break;
    }
  }
  out += "A correct filesystem then reads:\n\n```\n";
  for (const auto& line : ExpectedLines(plan, f)) out += line + "\n";
  out += "```\n\n";
  if (!f.evidence.empty()) {
    out += "## Evidence\n\neofzero's reads after the crash (its run planted its own sentinel, "
           "`EOFZERO-SENTINEL`; the reproducer plants one byte):\n\n```\n";
    out += EvidenceExcerpt(f.evidence) + "```\n\n";
  }
  out += fmt::format(
      "## Reproducer\n\nAs root: `sh repro.sh DEVICE MOUNTPOINT` (DEVICE is reformatted). Exit "
      "status 1: the bug shows; 0: the filesystem kept its promises; 2: it could not set itself "
      "up. The same as an fstests test: `fstests/NNN` and `fstests/NNN.out` (copy them into "
      "`tests/generic/` under a free number and put it in place of NNN); as an eofzero case: "
      "`eofzero run --cases-dir DIR --case {} --fs {}`.\n\n```sh\n{}```\n",
      name, c.fs, script);
  return out;
}

}  // namespace eofzero::explore
