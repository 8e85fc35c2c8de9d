// A guest's outcome folded into the kernel table's records (pure): each of
// its configurations named "RELEASE:CONFIG" and marked with the guest's
// kernel and times; a guest that did not report (it failed to boot,
// panicked, hung, or its eofzero died) becomes one ERROR configuration per
// filesystem, every selected case "not run: <why>", the console's last
// lines in its setup error. Also the merge of shards' reports.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include "report/record.h"

namespace eofzero::suite {

struct GuestOutcome {
  report::GuestInfo guest;
  // The guest's own reports, one per run it was given (in that order), each
  // when that run wrote one that reads as a report.
  std::vector<std::optional<report::RunRecord>> reports;
  std::string why_no_report;  // else: "the guest panicked", "timed out after 600s", ...
  std::string console_tail;   // the console's last lines
};

// One configuration a guest runs (one `eofzero run` in it).
struct GuestConfig {
  std::string fs;
  std::uint32_t block_size = 4096;
  bool operator==(const GuestConfig&) const = default;
};

// The planned filesystems and cases: what the guests run, and the rows of a
// guest that reported nothing.
struct GuestPlan {
  struct Case {
    std::string name;
    std::uint32_t block_size = 4096;  // the case's own, else the run's
  };
  std::vector<std::string> filesystems;  // "ext4", "xfs"
  std::vector<Case> cases;
  // The configurations (filesystem, block size) a guest runs: one per
  // filesystem and block size the cases need, smallest block size first.
  std::size_t Configurations() const;
  // The same, in the table's order: by filesystem as given, then block size.
  std::vector<GuestConfig> ConfigList() const;
  // The arguments of `eofzero run` for one of them: --fs, --block-size and
  // the cases at that block size.
  std::vector<std::string> RunArgs(const GuestConfig& config) const;
  // RunArgs of every configuration, in ConfigList's order.
  std::vector<std::vector<std::string>> AllRunArgs() const;
};

// The rows of a guest that was given `runs` (indices into the plan's
// ConfigList, in the order it ran them): each run's report, or its ERROR
// rows. The rows come in ConfigList's order whatever the runs' order.
std::vector<report::ConfigRecord> GuestRecords(const GuestOutcome& outcome, const GuestPlan& plan,
                                               const std::vector<std::size_t>& runs);
// A guest that was given every configuration, in order.
std::vector<report::ConfigRecord> GuestRecords(const GuestOutcome& outcome, const GuestPlan& plan);

// Why a guest that wrote no report ended, from its console (a panic's own
// line) or how it ended (timed out, QEMU's exit), with the last lines QEMU
// itself wrote (`qemu_output`, e.g. "qemu: linux kernel too old to load a
// ram disk" for a file that is no kernel), joined by " | ".
std::string WhyNoReport(const std::string& console_tail, bool timed_out, int timeout_seconds,
                        const std::string& qemu_ending, const std::string& qemu_output);

// Shards' reports joined into one (pure): every configuration in the order
// given, the first one's start, the longest run's time, the first signal.
// Refused, with a line naming the files: reports of different kinds (a run
// and a kernels report); a configuration that two of them hold (the same
// shard twice); shards of different runs, a shard among reports that are
// none, the same slice twice, or a set with a slice missing.
struct NamedReport {
  std::string file;  // as given: what an error names
  report::RunRecord record;
};
std::expected<report::RunRecord, std::string> MergeReports(const std::vector<NamedReport>& shards);

}  // namespace eofzero::suite
