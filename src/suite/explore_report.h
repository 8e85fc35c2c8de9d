// An exploration's report (pure): what `eofzero explore --format json`
// writes (the contract in docs/explore.md), what `eofzero report FILE`
// renders again, and what `report --merge` joins from the shards of one
// exploration (`explore --shard K/M`). The findings table and the totals are
// the same text whether explore prints them or report renders them.
//
//   {command: "explore", tool_version, tool_commit, kernel (uname -r),
//    options: {depth, ops, offsets, lengths, persist, crash, sample, seed,
//              confirm, shard: null | {index, count},
//              fs, block_size, gap, mkfs_options, mount_options},
//    configs: [{config, fs, block_size, mkfs_options, mount_options,
//               mkfs_command, runs,
//               passed, failed, skipped, errors, run_seconds, error}],
//    totals: {runs, passed, failed, skipped, errors, run_seconds, reduce_seconds},
//    findings: [{config, finding, after_crash, ops, distance, runs, crash,
//                reduced_case, reduced_workload, case_text, confirmed,
//                confirm, reduce_seconds, covered_by, kernel (kernels only)}],
//    problems: [...], interrupted, signal (when interrupted: its number)}
#pragma once

#include <cstdint>
#include <expected>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "report/format.h"

namespace eofzero::suite {

struct ExploreCounts {
  std::uint64_t runs = 0, passed = 0, failed = 0, skipped = 0, errors = 0;
  double run_seconds = 0;
  ExploreCounts& operator+=(const ExploreCounts& o);
};

// One configuration's runs.
struct ExploreConfigRow {
  std::string config;  // "ext4/4k"
  std::string fs;
  std::uint32_t block_size = 0;
  std::string mkfs_options, mount_options;
  std::string mkfs_command;  // the whole mkfs command line that made it
  ExploreCounts counts;
  std::string error;  // why it could not be explored ("" when it was)
};

// One row of the findings table: one signature.
struct FindingRow {
  std::string kernel;  // `eofzero kernels`: the kernel spec that showed it ("" otherwise)
  std::string config;
  std::string finding;  // the finding kind's name ("invariant 'no stale bytes'", "gap", ...)
  bool after_crash = true;
  std::vector<std::string> ops;
  std::string distance;
  std::uint64_t runs = 0;
  std::string crash;
  std::string reduced_case, reduced_workload, case_text;
  int confirmed = 0, confirm = 0;
  double reduce_seconds = 0;
  std::vector<std::string> covered_by;
  // The signature: what makes two rows one.
  auto Key() const { return std::tie(kernel, config, finding, after_crash, ops, distance); }
};

struct ExploreReport {
  std::string tool_version, tool_commit, kernel;
  // The options as the JSON has them ("shard" among them): two shards of one
  // exploration have the same options but for "shard".
  nlohmann::ordered_json options = nlohmann::ordered_json::object();
  std::vector<ExploreConfigRow> configs;
  ExploreCounts totals;
  double reduce_seconds = 0;
  std::vector<FindingRow> findings;
  std::vector<std::string> problems;
  int signal = 0;  // the signal that interrupted it; 0: it ended by itself
};

nlohmann::ordered_json ToJson(const ExploreReport& report);

// Whether a JSON document is an explore report ("command": "explore").
bool IsExploreReport(const nlohmann::ordered_json& doc);

// Reads what ToJson wrote; the error names what is missing or wrong.
std::expected<ExploreReport, std::string> ExploreReportFromJson(const nlohmann::ordered_json& doc);

// The findings table: one row per signature.
std::string RenderFindings(const std::vector<FindingRow>& findings);

// What explore prints once it is over, and `report FILE` prints again: the
// findings table, the problems, the totals.
std::string RenderExploreSummary(const ExploreReport& report);

// The findings table as markdown, then the totals (`--format markdown`).
std::string RenderExploreMarkdown(const ExploreReport& report);

// The report in a file format: json, markdown, or (any other) the summary.
std::string RenderExploreReport(const ExploreReport& report, report::ReportFormat format);

// Rows with one signature are one: their runs add, the first stands for them.
std::vector<FindingRow> MergeRows(std::vector<FindingRow> rows);

// The shards of one exploration, joined: findings by signature, counts
// added per configuration and in all. Refused (one line) unless they are
// every shard of one exploration (the same options but for the shard),
// each once. `shards`: (file name, its report).
std::expected<ExploreReport, std::string> MergeExploreReports(
    const std::vector<std::pair<std::string, ExploreReport>>& shards);

// The exit status the exploration had (or, merged, would have had): 128+N
// when a signal stopped it, 1 with a finding or a failed run, 3 with an
// error or a problem, 0 otherwise.
int ExploreReportExitStatus(const ExploreReport& report);

}  // namespace eofzero::suite
