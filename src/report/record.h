// What the reports are made of: one record per case × configuration, as plain
// data with no pointers into the run. Built from a CaseRun and its Verdict as
// cases finish (RecordingReporter), or read back from a JSON report — the
// matrix gathers its workers' results that way — so the human table, JSON,
// JUnit and markdown are all rendered from the same records.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "oracles/verdict.h"
#include "report/reporter.h"
#include "report/tool_version.h"

namespace eofzero::report {

// A failure a configuration declares as known (a kernel bug): why, and the
// kinds of finding it covers (oracles/finding_kinds.h: "gap", "size", ...). A
// failure with a finding of another kind is not covered: it is new.
struct ExpectedFailure {
  std::string reason;
  std::vector<std::string> findings = {"gap"};
  bool operator==(const ExpectedFailure&) const = default;
};

struct CaseRecord {
  std::string case_name;
  std::string case_file;
  oracles::Outcome outcome = oracles::Outcome::kError;
  std::string summary;   // the verdict's one line
  std::string reason;    // why it was skipped or could not run (CaseRun::reason)
  std::string evidence;  // the rendered evidence of a FAIL; empty otherwise
  std::vector<std::string> notes;
  double seconds = 0;
  // Of a FAIL: the names of its kinds of finding (oracles/finding_kinds.h),
  // in the table's order.
  std::vector<std::string> findings;
  // A declared expected failure (matrix configurations).
  std::optional<ExpectedFailure> expected_failure;
  // What every oracle saw, sizes, fsck, the plant: the JSON report's detail
  // object, kept as is so a merged report loses nothing.
  nlohmann::ordered_json detail = nlohmann::ordered_json::object();
  // The case did not run, or not to its end: a signal stopped the run before
  // or while it ran, or its matrix worker died. Always an ERROR.
  bool not_run = false;
  // Of `eofzero sweep`: the tuple the case ran, what its table cell shows,
  // and the command that reruns exactly it.
  struct SweepTuple {
    std::string base;       // the case it came from: "append_write"
    std::string primitive;  // "fsync"
    std::string crash;      // "nologflush"
    int point = 0;          // the line of the step the crash follows
    std::string distance;   // "" when the extension is not one pwrite at an offset
    int iteration = 1;
    char code = '.';        // the cell's letter (report/sweep_table.h: SweepCode)
    std::string rerun;
    bool operator==(const SweepTuple&) const = default;
  };
  std::optional<SweepTuple> sweep;
};

// A configuration run inside a QEMU guest (`eofzero kernels`): which kernel,
// as asked for and as the guest names itself, and where the time went.
struct GuestInfo {
  std::string kernel;   // the --kernel word
  std::string origin;   // the package (and suite), .deb or image it booted
  std::string release;  // `uname -r` in the guest; empty if it never said
  double boot_seconds = 0;  // from starting QEMU to the guest's init running
  double run_seconds = 0;   // from then to QEMU's end
  std::string accel = {};       // "kvm" or "tcg"; empty in reports from before it was kept
  std::string accel_note = {};  // for "tcg" when KVM was tried: why it is not used
  bool operator==(const GuestInfo&) const = default;
};

struct ConfigRecord {
  ConfigInfo config;
  std::string setup_error;  // non-empty: the configuration could not be set up
  std::vector<CaseRecord> cases;
  std::optional<GuestInfo> guest = {};  // `eofzero kernels`: the guest it ran in
};

struct RunRecord {
  ToolInfo tool;  // the eofzero that ran it
  std::string kernel;
  std::string started;  // UTC, ISO 8601
  double seconds = 0;
  std::vector<ConfigRecord> configs;
  // The signal that stopped the run before it ended (SIGINT, SIGTERM,
  // SIGHUP), or 0 for a run that ended by itself. The cases it did not run
  // are in `configs` as not_run ERRORs.
  int interrupted_by = 0;
  // The command that made it: "run", "sweep", "matrix", "kernels" ("" in a
  // report written before it was recorded: see ReportKind).
  std::string command;
  // A slice of a run split across machines (`kernels --shard K/M`): which one,
  // and the whole run it is a slice of (every shard of one run says the same).
  struct Shard {
    std::size_t index = 1, count = 1;
    std::string of;  // "kernels trixie,sid --fs ext4,xfs --case append_write,..."
    bool operator==(const Shard&) const = default;
  };
  std::optional<Shard> shard;
  // Of `eofzero sweep`: the columns of its tables, in the order asked for.
  struct SweepAxes {
    std::vector<std::string> primitives, crashes;
    bool operator==(const SweepAxes&) const = default;
  };
  std::optional<SweepAxes> sweep;
};

// What kind of report it is: its command, or for a report written before the
// command was recorded, "kernels" when a configuration ran in a guest,
// "matrix" when configurations have names, else "run".
std::string ReportKind(const RunRecord& record);

CaseRecord MakeCaseRecord(const ConfigInfo& config, const engine::CaseRun& run,
                          const oracles::Verdict& verdict);

// A finished case as every reporter gets it (Reporter::CaseDone): its run,
// its verdict, and its record, made on first use and then the same for every
// reporter (the evidence of a failure is rendered once). Refers to the run and
// the verdict: lives no longer than the call it is made for.
class CaseResult {
 public:
  CaseResult(const ConfigInfo& config, const engine::CaseRun& run, const oracles::Verdict& verdict)
      : config_(config), run_(run), verdict_(verdict) {}
  // With its record made already (MakeCaseRecord's, or one read back).
  CaseResult(const ConfigInfo& config, const engine::CaseRun& run, const oracles::Verdict& verdict,
             CaseRecord record)
      : config_(config), run_(run), verdict_(verdict), record_(std::move(record)) {}
  const engine::CaseRun& run() const { return run_; }
  const oracles::Verdict& verdict() const { return verdict_; }
  const CaseRecord& record() const;

 private:
  ConfigInfo config_;  // a copy: a temporary's is often what is at hand
  const engine::CaseRun& run_;
  const oracles::Verdict& verdict_;
  mutable std::optional<CaseRecord> record_;
};

// "interrupted by signal 2 (SIGINT)"
std::string Interruption(int signo);

// A case that did not run: an ERROR "not run: <why>".
CaseRecord NotRunRecord(const std::string& case_name, const std::string& why);

// How many of the record's cases did not run (CaseRecord::not_run).
std::size_t NotRunCount(const RunRecord& record);

// For an interrupted run's closing line: "interrupted by signal 2 (SIGINT):
// 3 cases did not run" (or "...: every case ran").
std::string InterruptionSummary(const RunRecord& record);

// "2026-11-23T10:04:05Z"
std::string UtcNow();

// Collects every event into a RunRecord. Configurations are keyed by their
// label, so cases reported before ConfigReady (skips) land in the same record.
class RecordingReporter : public Reporter {
 public:
  void RunStarted(const std::string& kernel) override;
  void ConfigReady(const ConfigInfo& config) override;
  void ConfigFailed(const ConfigInfo& config, const std::string& error) override;
  void CaseDone(const ConfigInfo& config, const CaseResult& result) override;
  void CrashStatesDone(const ConfigInfo& config, const oracles::CrashStates& states) override;
  void Interrupted(int signo) override;
  void Finish(double seconds) override;

  const RunRecord& record() const { return record_; }
  // For what a command adds to its record once the run is over (a sweep's tuples).
  RunRecord& record_to_amend() { return record_; }
  // The case recorded last (CaseDone, CrashStatesDone); only after one.
  const CaseRecord& last() const { return *last_; }

 private:
  ConfigRecord& Config(const ConfigInfo& config);
  const CaseRecord* last_ = nullptr;
  RunRecord record_;
};

// Sends every event to each of several reporters, in order.
class FanOutReporter : public Reporter {
 public:
  explicit FanOutReporter(std::vector<Reporter*> to) : to_(std::move(to)) {}
  void Planned(std::size_t cases) override;
  void RunStarted(const std::string& kernel) override;
  void ConfigReady(const ConfigInfo& config) override;
  void ConfigFailed(const ConfigInfo& config, const std::string& error) override;
  void CaseStarted(const ConfigInfo& config, const std::string& case_name) override;
  void CaseDone(const ConfigInfo& config, const CaseResult& result) override;
  void CrashStatesDone(const ConfigInfo& config, const oracles::CrashStates& states) override;
  void Interrupted(int signo) override;
  void Finish(double seconds) override;

 private:
  std::vector<Reporter*> to_;
};

}  // namespace eofzero::report
