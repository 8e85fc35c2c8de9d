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

struct Control {
  const char* name;
  std::vector<engine::Fault> faults;
};

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
  rows.push_back({"invariant: no stale bytes", std::nullopt, Phase::kAfterCrash,
                  "stale_after_crash"});
  rows.push_back({"invariant: legal size", std::nullopt, Phase::kAfterCrash, "wrong_size"});
  rows.push_back({"invariant: promised data", std::nullopt, Phase::kAfterCrash,
                  "lose_promised_data"});
  return rows;
}

bool Detects(const oracles::Verdict& v, const Row& row) {
  for (auto i : oracles::kInvariants)
    if (row.label == std::string("invariant: ") + oracles::InvariantName(i))
      return std::any_of(v.invariants.begin(), v.invariants.end(),
                         [i](const oracles::InvariantBreak& b) { return b.invariant == i; });
  if (std::string_view(row.control) == "corrupt_directory") return v.FsckFoundCorruption();
  if (std::string_view(row.control) == "cache_only") return v.views.has_value();
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
          {"lose_promised_data", {Fault::kLosePromisedDataAfterCrash}},
          // before corrupt_directory, whose corruption stays on the disk
          {"cache_only", {Fault::kCacheDisagreesWithDisk}},
          {"corrupt_directory", {Fault::kCorruptDirectoryAfterCrash}}};
}

class Selftest {
 public:
  Selftest(const RunOptions& options, const engine::CaseSpec& probe_case, ScratchProvider& scratch,
           report::SelftestReporter& reporter)
      : options_(options), probe_case_(probe_case), scratch_(scratch), reporter_(reporter) {
    for (const auto& row : rows_) table_.rows.push_back({row.label, {}});
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
    auto fs = scratch_.Make(spec, "selftest-" + fs_name);
    if (!fs) {
      reporter_.SetupFailed(column, fs.error().Message());
      for (auto& row : table_.rows) row.cells.push_back("?");
      result_ = {false, true};
      return;
    }
    std::map<std::string, oracles::Verdict> verdicts;
    for (const auto& control : controls_) {
      engine::CaseSpec c = probe_case_;
      c.name = probe_case_.name + "_" + control.name;
      engine::ScenarioOptions opt = options_.scenario;
      opt.faults = control.faults;
      verdicts[control.name] = oracles::Judge((*fs)->RunCase(c, opt));
      reporter_.ControlDone(column, control.name, verdicts[control.name]);
    }
    // Without a clean baseline a failure under a fault proves nothing.
    const bool baseline_ok = verdicts["baseline"].outcome == Outcome::kPass;
    if (!baseline_ok) {
      reporter_.BaselineFailed(column);
      result_.all_detected = false;
      if (verdicts["baseline"].outcome == Outcome::kError) result_.setup_failed = true;
    }
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      const bool yes = baseline_ok && Detects(verdicts[rows_[i].control], rows_[i]);
      table_.rows[i].cells.push_back(!baseline_ok ? "?" : yes ? "yes" : "NO");
      result_.all_detected &= yes;
    }
    if (options_.keep && !result_.all_detected) (*fs)->Keep();
  }

  SelftestResult Finish() {
    reporter_.Finish(table_);
    return result_;
  }

 private:
  const RunOptions& options_;
  const engine::CaseSpec& probe_case_;
  ScratchProvider& scratch_;
  report::SelftestReporter& reporter_;
  const std::vector<Control> controls_ = Controls();
  const std::vector<Row> rows_ = Rows();
  report::SelftestTable table_;
  SelftestResult result_{true, false};
};

}  // namespace

SelftestResult RunSelftest(const RunOptions& options, const engine::CaseSpec& probe_case,
                           ScratchProvider& scratch, report::SelftestReporter& reporter,
                           const InterruptPoll& interrupt) {
  if (auto space = scratch.Open(); !space) {
    reporter.RunFailed(space.error().Message());
    return {false, true};
  }
  Selftest selftest(options, probe_case, scratch, reporter);
  for (auto fs_type : options.filesystems) {
    if (interrupt()) return {false, true};
    selftest.RunOn(fs_type);
  }
  return selftest.Finish();
}

SelftestResult RunSelftest(const RunOptions& options, const engine::CaseSpec& probe_case,
                           report::SelftestReporter& reporter) {
  auto scratch = MakeScratchProvider(options.workdir, std::nullopt);  // always on images
  return RunSelftest(options, probe_case, *scratch, reporter, ProcessInterrupt);
}

}  // namespace eofzero::suite
