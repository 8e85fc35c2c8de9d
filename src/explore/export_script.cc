// The reproducer (repro.sh) and the fstests test (fstests/NNN, NNN.out).
#include <fmt/format.h>

#include "explore/export_render.h"
#include "fsdriver/registry.h"

namespace eofzero::explore {
namespace {

std::string Words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + ShellQuote(w);
  return out;
}

// What the finding is, in a sentence, for the files' headers.
std::string Headline(const ExportCase& c, const ExportFinding& f) {
  return fmt::format("{} on {} with {}-byte blocks: eofzero said {}{}", c.case_name, c.fs,
                     c.vars.at("bs"), f.verdict, f.summary.empty() ? "" : ": " + f.summary);
}

}  // namespace

// The filesystem's fsck (its driver's; the export refuses a filesystem this
// eofzero has no driver for).
std::string FsckProgram(const std::string& fs) {
  auto type = fsdriver::ParseFsType(fs);
  return type ? std::string(fsdriver::Driver(*type).FsckProgram()) : "fsck";
}
std::string FsckCommand(const std::string& fs) {
  auto type = fsdriver::ParseFsType(fs);
  return type ? fsdriver::Driver(*type).FsckCommandText() : "fsck -n";
}

std::string RenderScript(const ExportCase& c, const ExportFinding& f, const ExportPlan& plan,
                         const std::string& name) {
  std::string out = "#!/bin/sh\n";
  out += "# repro.sh: the reproducer of eofzero finding " + name + ", made by eofzero export.\n#\n";
  out += CommentBlock(Headline(c, f));
  out += CommentBlock(fmt::format("(on {}, by {}; crash: {}).", c.kernel, c.tool,
                                  CrashWords(plan.crash_mode)));
  out += fmt::format(R"sh(#
# Usage: sh repro.sh DEVICE MOUNTPOINT
#   DEVICE is made into a new {fs} filesystem: everything on it is lost.
#   MOUNTPOINT is an empty directory to mount it on.
# Exit status: 0 the filesystem kept its promises; 1 it did not (what the
#   checks saw is printed); 2 the reproducer could not set itself up (usage,
#   mkfs, mount, the plant, an operation the filesystem refused): nothing
#   was judged.
# Needs: {mkfs}, mount, umount, xfs_io, od{fsck_need}, and a POSIX sh and awk.
#
# What it does: mkfs; the case's start; the plant (FIEMAP finds the EOF
# block, then, unmounted, {gap} bytes of a sentinel go past the old EOF
# through the device); the workload and the crash in one xfs_io process;
# unmount and mount (recovery); the checks (each line says what held).
#
# Self-test (off by default): EOFZERO_SELFTEST_FAULT=1 sh repro.sh DEV MNT
# writes the sentinel into the gap through the device after the crash, as a
# filesystem that lost the gap's zeroing would leave it: the checks must
# then fail (exit 1). It proves they can; it is never the finding.

set -u
prog=$0
if [ $# -ne 2 ]; then
	echo "usage: sh $prog DEVICE MOUNTPOINT" >&2
	exit 2
fi
dev=$1
mnt=$2
[ -b "$dev" ] || {{ echo "$prog: $dev is not a block device" >&2; exit 2; }}
[ -d "$mnt" ] || {{ echo "$prog: $mnt is not a directory" >&2; exit 2; }}

fstype={fs}
mount_options={mount_options}	# empty: the kernel's defaults

tmp=${{TMPDIR:-/tmp}}/eofzero-repro.$$
mounted=
cleanup() {{
	[ -z "$mounted" ] || umount "$mnt"
	rm -rf "$tmp"
}}
trap cleanup EXIT
trap 'exit 2' HUP INT TERM
mkdir -m 700 "$tmp" || exit 2

setup_failed() {{
	echo "$prog: $*" >&2
	exit 2
}}

do_mount() {{
	mount -t "$fstype" ${{mount_options:+-o "$mount_options"}} "$dev" "$mnt" ||
		setup_failed "mount $dev on $mnt failed"
	mounted=1
}}

do_umount() {{
	umount "$mnt" || setup_failed "umount $mnt failed"
	mounted=
}}

# recover: unmount after the crash and mount: the journal is replayed. A
# filesystem that does not mount after a crash did not keep its promise.
recover() {{
	umount "$mnt" || setup_failed "umount after the crash failed"
	mounted=
	if ! mount -t "$fstype" ${{mount_options:+-o "$mount_options"}} "$dev" "$mnt"; then
		echo "mount after the crash failed: the filesystem did not recover"
		exit 1
	fi
	mounted=1
}}

)sh",
                     fmt::arg("fs", c.fs), fmt::arg("mkfs", c.mkfs.empty() ? "mkfs" : c.mkfs[0]),
                     fmt::arg("fsck_need", f.Metadata() ? ", " + FsckProgram(c.fs) : ""),
                     fmt::arg("gap", plan.eob - plan.eof),
                     fmt::arg("mount_options", ShellQuote(c.mount_options)));
  const ShellDialect d{"xfs_io",   "\"$mnt\"",     "\"$dev\"",  "do_mount",
                       "do_umount", "setup_failed", "\"$tmp\"/", false};
  const std::string mkfs = fmt::format(
      "\n# The configuration: mkfs as eofzero ran it (less its own UUID).\n"
      "{} \"$dev\" > \"$tmp/mkfs.out\" 2>&1 || {{ cat \"$tmp/mkfs.out\" >&2; setup_failed \"mkfs "
      "failed\"; }}\ndo_mount\n",
      Words(c.mkfs));
  out += ShellBody(plan, f, d, mkfs);
  if (f.Metadata())
    out += fmt::format(
        "\n# fsck: the filesystem must be consistent after the recovery.\ndo_umount\n"
        "if {} \"$dev\" > \"$tmp/fsck.out\" 2>&1; then\n\techo \"fsck: clean\"\nelse\n"
        "\techo \"fsck: {} exited $? after the recovery:\"\n\tsed 's/^/    /' \"$tmp/fsck.out\"\n"
        "\tfailed=1\nfi\n",
        FsckCommand(c.fs), FsckCommand(c.fs));
  return out + "\nexit $failed\n";
}

std::string RenderFstests(const ExportCase& c, const ExportFinding& f, const ExportPlan& plan,
                          const std::string& name) {
  std::string out = R"sh(#! /bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copyright (c) 2026 The eofzero authors.  All Rights Reserved.
#
# FS QA Test No. NNN
#
)sh";
  out += CommentBlock(fmt::format(
      "Stale bytes past an old, non-block-aligned EOF must never become file data when the file "
      "is extended, before or after a crash; the file's size after the crash must be one it had. "
      "This is eofzero finding {} ({}), made by eofzero export: the case's start, a sentinel "
      "planted past EOF through the device (FIEMAP, unmounted), the workload and the crash in "
      "one xfs_io process (its descriptors stay open through the shutdown, so not "
      "_scratch_shutdown: close() has side effects), the recovery, and the checks. The golden "
      "output is what a correct filesystem prints, from eofzero's crash model, never from a "
      "run.",
      name, Headline(c, f)));
  out += "#\n. ./common/preamble\n_begin_fstest auto quick rw shutdown\n\n";
  out += "_require_scratch\n_require_block_device $SCRATCH_DEV\n_require_no_realtime\n"
         "_require_scratch_shutdown\n_require_metadata_journaling $SCRATCH_DEV\n";
  out += "# FIEMAP on btrfs gives logical addresses, not offsets on $SCRATCH_DEV.\n"
         "_exclude_fs btrfs\n";
  for (const auto& [command, flag] : plan.needs)
    out += "_require_xfs_io_command \"" + command + "\"" + (flag.empty() ? "" : " \"" + flag + "\"") +
           "\n";
  if (plan.reflink) out += "_require_scratch_reflink\n";
  out += fmt::format(R"sh(
_scratch_mkfs >> $seqres.full 2>&1
_scratch_mount

blksz=$(_get_block_size $SCRATCH_MNT)
[ "$blksz" -eq {bs} ] ||
	_notrun "this finding is about {bs}-byte blocks; the scratch filesystem has $blksz"

)sh",
                     fmt::arg("bs", plan.block_size));
  const ShellDialect d{"$XFS_IO_PROG",     "\"$SCRATCH_MNT\"", "\"$SCRATCH_DEV\"", "_scratch_mount",
                       "_scratch_unmount", "_fail",            "\"$tmp\".",        true};
  out += ShellBody(plan, f, d, "");
  return out + "\n# success, all done\nstatus=0\nexit\n";
}

std::string RenderGolden(const ExportPlan& plan, const ExportFinding& f) {
  std::string out = "QA output created by NNN\n";
  for (const auto& line : ExpectedLines(plan, f)) out += line + "\n";
  return out;
}

}  // namespace eofzero::explore
