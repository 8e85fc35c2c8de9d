// The JSON report (nlohmann::ordered_json): one object per run, a list of
// configurations (fs, block size, mkfs command, mount options, device), and
// per configuration one record per case with its verdict, timing, evidence
// and everything the oracles saw. The matrix reads its workers' reports back
// with RunRecordFromJson, so the format is also the matrix's own wire format.
//
// Schema (version 1), stable keys; keys are only ever added, and a reader
// takes a missing one as its default (an older report has no "interrupted"
// and no "not_run": it ended by itself and ran every case it lists):
//   {tool, schema, kernel, started, seconds,
//    interrupted: null | {signal, name},
//    command: "run" | "sweep" | "matrix" | "kernels",
//    shard: null | {index, count, of} (kernels --shard K/M: the slice, and
//           the whole run's selection, the same in every shard),
//    sweep: null | {primitives, crashes} (the sweep's columns, in order),
//    configurations: [
//     {name, fs, block_size, mkfs_command, mount_options, device, setup_error,
//      guest {kernel, origin, release, boot_seconds, run_seconds} (kernels only),
//      cases: [{case, case_file, verdict, summary, reason, seconds, evidence,
//               notes, findings, expected_failure {reason, findings}, standing,
//               not_run, block_size, old_eof, eof_block,
//               durable_size_at_crash, plant, extent_after_crash,
//               oracles: [{oracle, phase, clean, gap, bytes_examined, nonzero,
//                          sentinel, dirty, base_offset, file_size, note}],
//               sizes, fsck, disagreements, race_findings,
//               crash_model {judged, why_not, legal_sizes, legal_size_ranges,
//                            broken, evidence},
//               case_text, variables {bs, ps, gap, eof, eof_block, eob}, altered_by,
//               sweep {case, primitive, crash, point, distance, iteration,
//                      code, rerun} (sweep only: the tuple and its cell),
//               disk_views: null | {kernel, disk: {source, how, fsck},
//                                    unavailable, extra_seconds,
//                                    agree, differences, metadata_tool,
//                                    metadata_diff}}]}]}
#pragma once

#include <expected>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "report/record.h"

namespace eofzero::report {

inline constexpr int kJsonSchemaVersion = 1;

// The per-case detail: oracles, sizes, fsck, plant and extents.
nlohmann::ordered_json CaseDetail(const engine::CaseRun& run, const oracles::Verdict& verdict);

nlohmann::ordered_json ToJson(const RunRecord& record);

// Reads a report written by ToJson; an error names what is missing or wrong.
std::expected<RunRecord, std::string> RunRecordFromJson(const nlohmann::ordered_json& doc);

// Why a saved report could not be read back.
struct JsonReportError {
  enum class Kind {
    kUnreadable,  // no such file, or it cannot be read
    kNotJson,     // it does not parse as JSON
    kNotAReport,  // JSON, but not a report: `message` is RunRecordFromJson's error
  };
  Kind kind;
  std::string message;
};

// Reads a report file (`eofzero report FILE.json`, a matrix worker's report).
std::expected<RunRecord, JsonReportError> LoadJsonReport(const std::filesystem::path& path);

}  // namespace eofzero::report
