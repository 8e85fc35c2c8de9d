#include "suite/selftest.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/scenario.h"
#include "oracles/verdict.h"

namespace eofzero::suite {
namespace {

using engine::Oracle;
using engine::Phase;
using oracles::Outcome;

// Which case a control runs: the probe case, or the race case (whose race
// step's checks only a race can show).
enum class Probe { kProbe, kRace };

struct Control {
  const char* name;
  std::vector<engine::Fault> faults;
  Probe probe = Probe::kProbe;
};

// The clean run of each case, without which its controls prove nothing.
const char* BaselineOf(Probe p) { return p == Probe::kProbe ? "baseline" : "race_baseline"; }

// One table row: a gap oracle in a phase, the size oracle, or fsck; and the
// control that must make it report.
struct Row {
  std::string label;
  std::optional<Oracle> oracle;  // nullopt: size, fsck or the two views, as `control` says
  Phase phase;
  const char* control;
};

std::vector<Row> Rows() {
  std::vector<Row> rows;
  for (Oracle o : {Oracle::kBufferedRead, Oracle::kMmap})
    rows.push_back({std::string(engine::OracleName(o)) + " (before crash)", o, Phase::kBeforeCrash,
                    "stale_in_cache"});
  for (Oracle o : {Oracle::kDirectRead, Oracle::kMmap, Oracle::kBufferedRead, Oracle::kRawDevice,
                   Oracle::kOffline})
    rows.push_back({std::string(engine::OracleName(o)) + " (after crash)", o, Phase::kAfterCrash,
                    "stale_after_crash"});
  rows.push_back({"size (after crash)", std::nullopt, Phase::kAfterCrash, "wrong_size"});
  rows.push_back({"fsck (after crash)", std::nullopt, Phase::kAfterCrash, "corrupt_directory"});
  rows.push_back({"two views (after crash)", std::nullopt, Phase::kAfterCrash, "cache_only"});
  rows.push_back({"disagreement (after crash)", std::nullopt, Phase::kAfterCrash, "stat_lies"});
  rows.push_back({"invariant: no stale bytes", std::nullopt, Phase::kAfterCrash,
                  "stale_after_crash"});
  rows.push_back({"invariant: legal size", std::nullopt, Phase::kAfterCrash, "wrong_size"});
  rows.push_back({"invariant: promised data", std::nullopt, Phase::kAfterCrash,
                  "lose_promised_data"});
  rows.push_back({"race (both phases)", std::nullopt, Phase::kAfterCrash, "lose_sector_write"});
  return rows;
}

bool Detects(const oracles::Verdict& v, const Row& row) {
  for (auto i : oracles::kInvariants)
    if (row.label == std::string("invariant: ") + oracles::InvariantName(i))
      return std::any_of(v.invariants.begin(), v.invariants.end(),
                         [i](const oracles::InvariantBreak& b) { return b.invariant == i; });
  if (std::string_view(row.control) == "lose_sector_write")
    return std::find(v.kinds.begin(), v.kinds.end(), oracles::FindingKind::kRace) != v.kinds.end();
  if (std::string_view(row.control) == "corrupt_directory") return v.FsckFoundCorruption();
  if (std::string_view(row.control) == "cache_only") return v.views.has_value();
  if (std::string_view(row.control) == "stat_lies")
    return std::ranges::find(v.kinds, oracles::FindingKind::kDisagreement) != v.kinds.end();
  if (!row.oracle) return v.wrong_size.has_value();
  for (const auto* r : v.Failing())
    if (r->oracle == *row.oracle && r->phase == row.phase) return true;
  return false;
}

std::vector<Control> Controls() {
  using engine::Fault;
  return {{"baseline", {}},
          {"stale_after_crash", {Fault::kStaleAfterCrash}},
          {"stale_in_cache", {Fault::kStaleInCache}},
          {"wrong_size", {Fault::kWrongSizeAfterCrash}},
          {"stat_lies", {Fault::kStatLiesAfterCrash}},
          {"lose_promised_data", {Fault::kLosePromisedDataAfterCrash}},
          // before corrupt_directory, whose corruption stays on the disk
          {"race_baseline", {}, Probe::kRace},
          {"lose_sector_write", {Fault::kLoseSectorWrite}, Probe::kRace},
          {"cache_only", {Fault::kCacheDisagreesWithDisk}},
          {"corrupt_directory", {Fault::kCorruptDirectoryAfterCrash}}};
}

Probe ProbeOf(const std::vector<Control>& controls, std::string_view name) {
  for (const auto& c : controls)
    if (name == c.name) return c.probe;
  return Probe::kProbe;
}

class Selftest {
 public:
  Selftest(const RunOptions& options, const SelftestCases& cases, ScratchProvider& scratch,
           report::SelftestReporter& reporter)
      : options_(options), cases_(cases), scratch_(scratch), reporter_(reporter) {
    for (const auto& row : rows_) table_.rows.push_back({row.label, {}, row.control, {}});
  }

  // Every control on one filesystem; its column of the table.
  void RunOn(fsdriver::FsType fs_type) {
    scratch::ScratchSpec spec{fs_type,
                              options_.block_size,
                              options_.mkfs_options,
                              options_.mount_options,
                              options_.image_bytes,
                              0,
                              {}};
    const std::string fs_name(fsdriver::FsTypeName(fs_type));
    const std::string column = fs_name + "/" + std::to_string(options_.block_size / 1024) + "k";
    table_.columns.push_back(column);
    table_.column_info.push_back({fs_name, options_.block_size, ""});
    // A kernel without the filesystem: there is nothing to show here.
    if (auto lacks = scratch_.KernelLacks(fs_name); !lacks.empty()) {
      for (auto& row : table_.rows) Cell(row, "skip", lacks);
      return;
    }
    auto fs = scratch_.Make(spec, "selftest-" + fs_name);
    if (!fs) {
      reporter_.SetupFailed(column, fs.error().Message());
      table_.column_info.back().setup_error = fs.error().Message();
      for (auto& row : table_.rows) Cell(row, "?", fs.error().Message());
      result_ = {false, true};
      return;
    }
    const fsdriver::FsDriver& driver = fsdriver::Driver(fs_type);
    std::map<std::string, oracles::Verdict> verdicts;
    std::map<std::string, std::string> not_applicable;  // control -> why
    if (auto why = driver.DirectoryControlRefused(); !why.empty())
      not_applicable["corrupt_directory"] = why;
    if (auto why = driver.KernelWritesAroundTheDeviceCache(); !why.empty())
      not_applicable["cache_only"] = "the views both read the disk: " + why;
    for (const auto& control : controls_) {
      const engine::CaseSpec& probe = control.probe == Probe::kProbe ? cases_.probe : cases_.race;
      engine::CaseSpec c = probe;
      c.name = probe.name + "_" + control.name;
      if (auto why = not_applicable.find(control.name); why != not_applicable.end()) {
        engine::CaseRun skipped;
        skipped.case_name = c.name;
        skipped.status = engine::RunStatus::kSkipped;
        skipped.reason = why->second;
        reporter_.ControlDone(column, control.name, oracles::Judge(skipped));
        continue;
      }
      engine::ScenarioOptions opt = options_.scenario;
      opt.faults = control.faults;
      // Without a shutdown ioctl a clean remount stands in for the crash.
      opt.clean_cycle_without_shutdown = !driver.HasShutdown();
      verdicts[control.name] = oracles::Judge((*fs)->RunCase(c, opt));
      reporter_.ControlDone(column, control.name, verdicts[control.name]);
    }
    // Without a clean baseline a failure under a fault proves nothing.
    // A race baseline that does not apply here (a SKIP: the race case cannot
    // run on this filesystem) makes the race row not apply either: no finding
    // of its can come from this filesystem. The probe case carries every
    // other row: one that does not apply here (a --probe-case of another
    // filesystem, or one that skips) shows nothing, and did not run.
    std::map<Probe, bool> baseline_ok, baseline_skipped;
    for (Probe p : {Probe::kProbe, Probe::kRace}) {
      const oracles::Verdict& baseline = verdicts[BaselineOf(p)];
      baseline_ok[p] = baseline.outcome == Outcome::kPass;
      baseline_skipped[p] = p == Probe::kRace && baseline.outcome == Outcome::kSkip;
      if (baseline_ok[p] || baseline_skipped[p]) continue;
      reporter_.BaselineFailed(column, BaselineOf(p));
      result_.all_detected = false;
      if (baseline.outcome == Outcome::kError || baseline.outcome == Outcome::kSkip) {
        result_.setup_failed = true;
        std::string& error = table_.column_info.back().setup_error;
        error += (error.empty() ? "the " : "; the ") + std::string(BaselineOf(p)) +
                 (baseline.outcome == Outcome::kSkip ? " does not apply here: " : " did not run: ") +
                 baseline.summary;
      }
    }
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      if (auto why = not_applicable.find(rows_[i].control); why != not_applicable.end()) {
        Cell(table_.rows[i], "skip", why->second);
        continue;
      }
      const Probe probe = ProbeOf(controls_, rows_[i].control);
      if (baseline_skipped[probe]) {
        Cell(table_.rows[i], "skip",
             std::string("the ") + BaselineOf(probe) +
                 " does not apply here: " + verdicts[BaselineOf(probe)].summary);
        continue;
      }
      const bool ok = baseline_ok[probe];
      const bool yes = ok && Detects(verdicts[rows_[i].control], rows_[i]);
      if (!ok)
        Cell(table_.rows[i], "?",
             std::string("the ") + BaselineOf(probe) +
                 " did not pass: " + verdicts[BaselineOf(probe)].summary);
      else
        Cell(table_.rows[i], yes ? "yes" : "NO", verdicts[rows_[i].control].summary);
      result_.all_detected &= yes;
    }
    if (options_.keep && !result_.all_detected) (*fs)->Keep();
  }

  static void Cell(report::SelftestTable::Row& row, const char* cell, const std::string& reason) {
    row.cells.push_back(cell);
    row.reasons.push_back(reason);
  }

  SelftestResult Finish() {
    reporter_.Finish(table_);
    return result_;
  }

 private:
  const RunOptions& options_;
  const SelftestCases& cases_;
  ScratchProvider& scratch_;
  report::SelftestReporter& reporter_;
  const std::vector<Control> controls_ = Controls();
  const std::vector<Row> rows_ = Rows();
  report::SelftestTable table_;
  SelftestResult result_{true, false};
};

}  // namespace

std::vector<std::string> SelftestControls() {
  std::vector<std::string> names;
  for (const auto& c : Controls()) names.push_back(c.name);
  return names;
}

std::vector<std::string> SelftestRowLabels() {
  std::vector<std::string> labels;
  for (const auto& r : Rows()) labels.push_back(r.label);
  return labels;
}

SelftestResult RunSelftest(const RunOptions& options, const SelftestCases& cases,
                           ScratchProvider& scratch, report::SelftestReporter& reporter,
                           const InterruptPoll& interrupt) {
  if (auto space = scratch.Open(); !space) {
    reporter.RunFailed(space.error().Message());
    return {false, true};
  }
  Selftest selftest(options, cases, scratch, reporter);
  for (auto fs_type : options.filesystems) {
    if (interrupt()) return {false, true};
    selftest.RunOn(fs_type);
  }
  return selftest.Finish();
}

SelftestResult RunSelftest(const RunOptions& options, const SelftestCases& cases,
                           report::SelftestReporter& reporter) {
  auto scratch = MakeScratchProvider(options.workdir, std::nullopt);  // always on images
  return RunSelftest(options, cases, *scratch, reporter, ProcessInterrupt);
}

}  // namespace eofzero::suite
