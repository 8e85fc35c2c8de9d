// `eofzero export` (pure: strings from data): for one case as it ran and its
// verdict, the four artifacts a filesystem developer gets —
//   - the case file (language 2) that `eofzero run --cases-dir DIR` runs,
//     named NAME.toml for the case NAME (a catalog case keeps its own text
//     and comments; its name, filesystem, block size and gap are pinned);
//   - a POSIX shell reproducer, `sh repro.sh DEVICE MOUNTPOINT`, that needs
//     only mkfs, mount, umount, xfs_io and od (and awk): it makes the
//     filesystem, runs the case's start, plants the sentinel over the gap
//     through the device, runs the workload and the crash in one xfs_io
//     process, recovers, and checks; exit 0 when the filesystem did right,
//     1 when the bug shows (with a hexdump of the EOF block), 2 when it
//     could not set itself up. EOFZERO_SELFTEST_FAULT=1 is its positive
//     control: the sentinel written into the gap after the crash;
//   - an fstests test in the shape of generic/794, with its golden output
//     derived from the crash model (what a correct filesystem prints);
//   - a finding report in Markdown for a filesystem mailing list.
// The steps' translation to xfs_io is explore/export_plan.h's.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <utility>
#include <vector>

#include "engine/case_spec.h"
#include "engine/expr.h"

namespace eofzero::explore {

// A case as it ran, and where.
struct ExportCase {
  std::string case_name;  // as the report names it
  std::string case_text;  // the case file as it ran (engine/case_text.h)
  // The catalog file's own text, when the case is that file's as it is
  // (then its comments are kept); empty otherwise.
  std::string own_text;
  engine::Variables vars;  // bs, ps, gap, eof, eof_block, eob
  std::string fs;          // "ext4", "xfs"
  // mkfs's program and options as the run made the filesystem, less the
  // device and eofzero's own UUID ({"mkfs.xfs", "-f", "-q", ...}).
  std::vector<std::string> mkfs;
  // The options of those that the run's --mkfs-options added.
  std::vector<std::string> mkfs_extra;
  std::string mount_options;  // "": the kernel's defaults
  std::string kernel;         // "Linux 6.18.44 x86_64"
  std::string tool;           // "eofzero 0.1.0 (commit 0123abcdef01)"
};

// Its verdict.
struct ExportFinding {
  std::string verdict = "FAIL";     // FAIL, or PASS (a case exported by name)
  std::string summary;              // the verdict's line
  std::vector<std::string> kinds;   // "gap", "size", "fsck", "invariant", ...
  std::vector<std::string> broken;  // the crash model's invariants broken
  std::string evidence;             // eofzero's evidence text
  bool model_judged = false;
  std::string legal_sizes;  // "4080 to 8192"
  std::vector<std::pair<std::uint64_t, std::uint64_t>> legal_size_ranges;  // closed
  // fsck must run in the checks (the finding is about metadata).
  bool Metadata() const;
};

struct Exported {
  std::string name;         // the exported case's name, and its folder's
  std::string case_file;    // NAME.toml
  std::string script;       // repro.sh
  std::string fstests;      // fstests/NNN
  std::string fstests_out;  // fstests/NNN.out
  std::string report;       // report.md
};

// The artifacts, the exported case named `name` (a plain name, at most 64
// characters). The error is one line: why the case cannot be exported.
std::expected<Exported, std::string> ExportFindingFiles(const ExportCase& c,
                                                        const ExportFinding& f,
                                                        const std::string& name);

// A word for sh: as it is when it is plain, else in single quotes.
std::string ShellQuote(const std::string& word);

}  // namespace eofzero::explore
