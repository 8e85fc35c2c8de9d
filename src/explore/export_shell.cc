// The shell body the reproducer and the fstests test share: helper
// functions, then one block per step of the plan (explore/export_plan.h).
// POSIX sh and awk only (mawk, busybox): no arrays, no bit operators, no
// strtonum.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "explore/export_render.h"

namespace eofzero::explore {
namespace {

std::string Replace(std::string text, const std::map<std::string, std::string>& words) {
  for (const auto& [from, to] : words)
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  return text;
}

// The helpers, with the dialect's names in place of the capitals.
constexpr const char* kHelpers = R"sh(# file_size FILE: the size of FILE in the mount point, as stat(2) says.
file_size() {
	(cd @MNT@ && exec @XFS_IO@ -r -c stat "$1") | awk '$1 == "stat.size" { print $3 }'
}

# physical FILE OFFSET: the device byte of the block at file offset OFFSET
# (block aligned), from FIEMAP; or "no: WHY" when that block is not plain
# data on the device (a hole, delayed allocation, unwritten, inline, shared).
physical() {
	(cd @MNT@ && exec @XFS_IO@ -r -c "fiemap -v" "$1") | fiemap_block "$2"
}

# fiemap_block OFFSET: standard input is xfs_io's fiemap -v (512-byte units).
fiemap_block() {
	awk -v want="$(($1 / 512))" '
	function hex(t,   i, n) {
		n = 0
		t = tolower(t)
		sub(/^0x/, "", t)
		for (i = 1; i <= length(t); i++)
			n = n * 16 + index("0123456789abcdef", substr(t, i, 1)) - 1
		return n
	}
	function bit(n, k) { return int(n / 2 ^ k) % 2 }
	$1 ~ /^[0-9]+:$/ && !seen {
		r = $2
		sub(/^\[/, "", r)
		sub(/\]:$/, "", r)
		split(r, f, /[.][.]/)
		if (want < f[1] + 0 || want > f[2] + 0)
			next
		seen = 1
		if ($3 == "hole") {
			why = "a hole"
			next
		}
		split($3, b, /[.][.]/)
		flags = hex($5)
		# UNKNOWN DELALLOC ENCODED ENCRYPTED NOT_ALIGNED INLINE TAIL UNWRITTEN SHARED
		if (bit(flags, 1) || bit(flags, 2) || bit(flags, 3) || bit(flags, 7) ||
		    bit(flags, 8) || bit(flags, 9) || bit(flags, 10) || bit(flags, 11) ||
		    bit(flags, 13)) {
			why = "in an extent with flags " $5
			next
		}
		at = (b[1] + want - f[1]) * 512
	}
	END {
		if (at == "")
			print "no: " (why == "" ? "not mapped" : why)
		else
			printf "%.0f\n", at
	}'
}

# all_bytes HEX: standard input (od -A n -t x1) is that byte, and only it.
all_bytes() {
	awk -v want="$1" '{ for (i = 1; i <= NF; i++) { n++; if ($i != want) bad++ } }
		END { exit !(n > 0 && bad == 0) }'
}

# check_bytes RULES OFFSET [END]: every byte of standard input — od -A n
# -t x1 output of the file from OFFSET, or with END xfs_io's pread -v dumps
# of reads that end at END (16 bytes a line, then the text column) — is one
# RULES' allowed() allows; else it says which are not, and fails.
check_bytes() {
	awk -v off="$2" -v dump="${3:-}" -v s="$sentinel" "$1"'
	function hex(t,   i, n) {
		n = 0
		for (i = 1; i <= length(t); i++)
			n = n * 16 + index("0123456789abcdef", substr(t, i, 1)) - 1
		return n
	}
	dump != "" && $1 !~ /^[0-9a-f]+:$/ { next }
	{
		from_field = 1
		to_field = NF
		if (dump != "") {
			off = hex(substr($1, 1, length($1) - 1))
			from_field = 2
			to_field = 1 + (dump - off < 16 ? dump - off : 16)	# then the text column
			if (to_field > NF - 1)
				to_field = NF - 1	# a short read
		}
		for (i = from_field; i <= to_field; i++) {
			if (!allowed(off, $i)) {
				if (!bad)
					first = off
				bad++
				if ($i == s)
					stale++
			}
			off++
		}
	}
	END {
		if (bad) {
			printf "%d byte(s) the case did not leave there, from file offset %d (%d of them the sentinel 0x%s)\n", bad, first, stale, s
			exit 1
		}
	}'
}

# plant_sentinel: the sentinel over the gap [eof, eob) of main's EOF block,
# through the device while the filesystem is unmounted; read back; mounted
# again. FIEMAP maps the block first, while nothing of main is dirty (its
# FIEMAP_FLAG_SYNC would write back a page the crash must not see written).
plant_sentinel() {
	where=$(physical main "$eof_block")
	case $where in
	''|*[!0-9]*) @SETUP_FAILED@ "cannot plant: main's EOF block is ${where#no: }" ;;
	esac
	at=$((where + eof - eof_block))
	@UMOUNT@
	@XFS_IO@ -c "pwrite -q -S 0x$sentinel $at $((eob - eof))" -c fsync @DEV@ ||
		@SETUP_FAILED@ "the sentinel could not be written at byte $at of @DEV@"
	od -A n -t x1 -v -j "$at" -N $((eob - eof)) @DEV@ | all_bytes "$sentinel" ||
		@SETUP_FAILED@ "the sentinel did not land at byte $at of @DEV@"
	@MOUNT@
}

# check_gap RULES LABEL OK: the part of the gap inside the file holds only
# what RULES allow; on failure, the EOF block's hexdump.
check_gap() {
	size=$(file_size main)
	end=$eob
	[ "$size" -lt "$end" ] && end=$size
	if [ "$end" -gt "$eof" ] &&
	    ! why=$(od -A n -t x1 -v -j "$eof" -N $((end - eof)) @MNT@/main |
		check_bytes "$1" "$eof"); then
		echo "$2: not zero: $why"
		from=$((eof - eof % 16))
		echo "main ($size bytes) from byte $from to the end of the gap, as it reads now:"
		od -A d -t x1 -v -j "$from" -N $((end - from)) @MNT@/main
		failed=1
	else
		echo "$2: $3"
	fi
}

# check_size WANT LABEL: main is WANT bytes.
check_size() {
	size=$(file_size main)
	if [ "$size" = "$1" ]; then
		echo "$2: ok"
	else
		echo "$2: the file is $size bytes"
		failed=1
	fi
}

# run_xfs_io NAME ARGS...: one xfs_io process in the mount point, its output
# in a file named after it. A failure or anything on its stderr stops here: an
# operation the filesystem refused is not a verdict.
run_xfs_io() {
	name=$1
	shift
	(cd @MNT@ && exec @XFS_IO@ "$@") > @TMP@$name.out 2> @TMP@$name.err
	rc=$?
	if [ $rc -ne 0 ] || [ -s @TMP@$name.err ]; then
		cat @TMP@$name.err >&2
		@SETUP_FAILED@ "xfs_io ($name) failed (exit $rc): nothing was judged"
	fi
}
)sh";

std::string OkWord(const GapBytes& g) { return g.OnlyZero() ? "zero" : "zero or as written"; }

std::string Hex(unsigned v) { return fmt::format("{:02x}", v); }

// allowed(o, b): whether file offset o may read as byte b (two hex digits).
std::string AllowedFunction(const GapBytes& g) {
  std::string out = "function allowed(o, b) {\n\tif (b == \"00\")\n\t\treturn 1\n";
  for (std::size_t i = 0; i < g.allowed.size();) {
    std::size_t j = i;
    while (j < g.allowed.size() && g.allowed[j] == g.allowed[i]) ++j;
    std::string set;
    for (unsigned v = 1; v < 256; ++v)
      if (g.allowed[i].test(v)) set += " " + Hex(v);
    if (!set.empty())
      out += fmt::format("\tif (o >= {} && o < {})\n\t\treturn index(\"{} \", \" \" b \" \") > 0\n",
                         g.begin + i, g.begin + j, set);
    i = j;
  }
  return out + "\treturn 0\n}\n";
}

std::string Comment(const XfsIoCommand& c) {
  std::string s = c.step.empty() ? "" : fmt::format("line {}: {}", c.line, c.step);
  if (!c.note.empty()) s += (s.empty() ? "" : ": ") + c.note;
  return s;
}

// One xfs_io process, its commands built with set -- (one a line, each
// with the step it stands for).
std::string Process(const ScriptStep& s, const std::string& name, bool planted) {
  std::string out;
  if (!planted) {
    out += "# The start, before the plant (one xfs_io process).\n";
  } else if (s.crash) {
    out += "# The workload and the crash, in ONE xfs_io process: its descriptors stay open\n"
           "# through the shutdown, as eofzero's interpreter keeps them (close() has side\n"
           "# effects: xfs flushes on close after a truncate down, ext4 after a truncate\n"
           "# to 0).\n";
  } else {
    out += "# Steps after the plant, in one xfs_io process.\n";
  }
  out += "# -C: each command once, on the current descriptor (xfs_io's -c runs a command\n"
         "# on every descriptor the process has open).\n"
         "set -- -x -f\n";
  int last_line = -1;
  for (const XfsIoCommand& c : s.commands) {
    if (c.text.empty()) {
      out += "# " + Comment(c) + "\n";
      continue;
    }
    std::string line = "set -- \"$@\" -C \"" + c.text + "\"";
    const std::string comment = c.line != last_line || !c.note.empty() ? Comment(c) : "";
    if (!comment.empty()) line += "\t# " + comment;
    out += line + "\n";
    last_line = c.line;
  }
  return out + "run_xfs_io " + name + " \"$@\" main\n";
}

}  // namespace

std::string GapLabel(const ExportPlan& plan) {
  return fmt::format("gap [{}, {})", plan.eof, plan.eob);
}

std::string CrashWords(const std::string& mode) {
  if (mode == "freeze") return "FS_IOC_SHUTDOWN after a freeze (DEFAULT; here syncfs, then LOGFLUSH)";
  if (mode == "logflush") return "FS_IOC_SHUTDOWN with LOGFLUSH (xfs_io's \"shutdown -f\")";
  return "FS_IOC_SHUTDOWN with NOLOGFLUSH (xfs_io's \"shutdown\")";
}

std::string CommentBlock(const std::string& text) {
  std::string out, line;
  std::istringstream words(text);
  for (std::string w; words >> w;) {
    if (!line.empty() && line.size() + 1 + w.size() > 76) {
      out += "# " + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + w;
  }
  if (!line.empty()) out += "# " + line + "\n";
  return out;
}

std::vector<std::string> ExpectedLines(const ExportPlan& plan, const ExportFinding& f) {
  std::vector<std::string> out;
  for (const ScriptStep& s : plan.steps) {
    switch (s.kind) {
      case ScriptStep::Kind::kXfsIo:
        if (s.gap_reads) out.push_back(GapLabel(plan) + " before the crash: " + OkWord(s.gap));
        for (const auto& [size, line] : s.sizes)
          out.push_back(fmt::format("expect size {} before the crash: ok", size));
        break;
      case ScriptStep::Kind::kCheckSize:
        out.push_back(fmt::format("expect size {}: ok", s.size));
        break;
      case ScriptStep::Kind::kCheckGap:
        if (s.first_crash && f.model_judged && !f.legal_size_ranges.empty())
          out.push_back("size: allowed");
        out.push_back(GapLabel(plan) + ": " + OkWord(s.gap));
        break;
      case ScriptStep::Kind::kPlant:
      case ScriptStep::Kind::kCycleMount:
        break;
    }
  }
  return out;
}

std::string ShellBody(const ExportPlan& plan, const ExportFinding& f, const ShellDialect& d,
                      const std::string& setup) {
  const std::map<std::string, std::string> names = {
      {"@MNT@", d.mnt},       {"@XFS_IO@", d.xfs_io},           {"@DEV@", d.dev},
      {"@UMOUNT@", d.umount}, {"@SETUP_FAILED@", d.setup_failed}, {"@TMP@", d.tmp},
      {"@MOUNT@", d.mount}};
  std::string out = Replace(kHelpers, names);
  out += fmt::format(
      "\n# The case's numbers at this block size; the sentinel is a byte the case never "
      "writes.\nbs={} eof={} eob={} eof_block={} sentinel={}\nfailed=0\n",
      plan.block_size, plan.eof, plan.eob, plan.eof_block, Hex(plan.sentinel));
  out += setup;
  // The rules of each check, once each.
  std::vector<std::string> rules;
  auto rule = [&](const GapBytes& g) {
    const std::string text = AllowedFunction(g);
    auto it = std::find(rules.begin(), rules.end(), text);
    if (it == rules.end()) {
      rules.push_back(text);
      out += fmt::format("# The bytes the gap may read as (zero, or what the case wrote there).\n"
                         "rules_{}='\n{}'\n",
                         rules.size(), text);
      return rules.size();
    }
    return static_cast<std::size_t>(it - rules.begin()) + 1;
  };
  bool planted = false;
  int processes = 0;
  for (const ScriptStep& s : plan.steps) {
    out += "\n";
    switch (s.kind) {
      case ScriptStep::Kind::kXfsIo: {
        const std::string name =
            !planted ? "start" : ++processes == 1 ? "workload" : fmt::format("workload{}", processes);
        out += Process(s, name, planted);
        const std::string file = d.tmp + name + ".out";
        if (s.gap_reads) {
          const std::size_t r = rule(s.gap);
          const std::string label = GapLabel(plan) + " before the crash";
          out += fmt::format(
              "# check gap before the crash: the reads' dumps in its output.\n"
              "if why=$(check_bytes \"$rules_{}\" 0 $eob < {}); then\n\techo \"{}: {}\"\n"
              "else\n\techo \"{}: not zero: $why\"\n\tfailed=1\nfi\n",
              r, file, label, OkWord(s.gap), label);
        }
        for (std::size_t k = 0; k < s.sizes.size(); ++k)
          out += fmt::format(
              "got=$(awk '$1 == \"stat.size\" && ++n == {} {{ print $3 }}' {})\n"
              "if [ \"$got\" = {} ]; then\n\techo \"expect size {} before the crash: ok\"\nelse\n"
              "\techo \"expect size {} before the crash: the file was ${{got:-?}} bytes\"\n"
              "\tfailed=1\nfi\n",
              k + 1, file, s.sizes[k].first, s.sizes[k].first, s.sizes[k].first);
        break;
      }
      case ScriptStep::Kind::kPlant:
        planted = true;
        out += fmt::format(
            "# line {}: plant. The file must be eof bytes; then the sentinel over its gap.\n"
            "size=$(file_size main)\n[ \"$size\" = \"$eof\" ] ||\n"
            "\t{} \"main is $size bytes at the plant, not $eof\"\nplant_sentinel\n",
            s.line, d.setup_failed);
        break;
      case ScriptStep::Kind::kCycleMount:
        if (!s.crash) {
          out += fmt::format("# line {}: {}: a clean unmount and mount.\n{}\n{}\n", s.line, s.step,
                             d.umount, d.mount);
          break;
        }
        out += fmt::format("# line {}: {}: the recovery (the journal is replayed).\n", s.line,
                           s.step);
        out += d.fstests ? "_scratch_cycle_mount\n" : "recover\n";
        if (!d.fstests && s.first_crash)
          out += R"sh(if [ "${EOFZERO_SELFTEST_FAULT:-}" = 1 ]; then
	# SELF-TEST ONLY (off by default), never the finding: the positive
	# control of the checks below. The sentinel goes into the gap through the
	# device after the crash, as a filesystem that lost the gap's zeroing
	# would leave it on disk: the checks must then fail (exit 1).
	size=$(file_size main)
	[ "$size" -gt "$eof" ] ||
		setup_failed "self-test: the gap is outside the file ($size bytes): the fault cannot show"
	echo "self-test: writing the sentinel into the gap through $dev" >&2
	plant_sentinel
fi
)sh";
        break;
      case ScriptStep::Kind::kCheckSize:
        out += fmt::format("# line {}: {}\ncheck_size {} \"expect size {}\"\n", s.line, s.step,
                           s.size, s.size);
        break;
      case ScriptStep::Kind::kCheckGap: {
        out += fmt::format("# line {}: {} (after the crash)\n", s.line, s.step);
        if (s.first_crash && f.model_judged && !f.legal_size_ranges.empty()) {
          std::string test;
          for (const auto& [lo, hi] : f.legal_size_ranges)
            test += (test.empty() ? "" : " ||\n    ") +
                    (lo == hi ? fmt::format("[ \"$size\" -eq {} ]", lo)
                              : fmt::format("{{ [ \"$size\" -ge {} ] && [ \"$size\" -le {} ]; }}",
                                            lo, hi));
          out += fmt::format(
              "# The size: one the crash model allows ({}).\nsize=$(file_size main)\n"
              "if {}; then\n\techo \"size: allowed\"\nelse\n"
              "\techo \"size: $size bytes; the crash model allows {}\"\n\tfailed=1\nfi\n",
              f.legal_sizes, test, f.legal_sizes);
        }
        out += fmt::format("check_gap \"$rules_{}\" \"{}\" \"{}\"\n", rule(s.gap), GapLabel(plan),
                           OkWord(s.gap));
        break;
      }
    }
  }
  return out;
}

}  // namespace eofzero::explore
