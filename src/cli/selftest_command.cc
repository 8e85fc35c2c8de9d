#include "cli/selftest_command.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "engine/scenario.h"
#include "oracles/verdict.h"
#include "os/interrupt.h"
#include "scratch/run_dir.h"
#include "scratch/scratch_fs.h"

namespace eofzero::cli {
namespace {

using engine::Oracle;
using engine::Phase;
using oracles::Outcome;

struct Control {
  const char* name;
  engine::FaultInjection faults;
};

// One table row: a gap oracle in a phase, the size oracle, or fsck; and the
// control that must make it report.
struct Row {
  std::string label;
  std::optional<Oracle> oracle;  // nullopt: size or fsck, as `control` says
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
  return rows;
}

bool Detects(const oracles::Verdict& v, const Row& row) {
  if (std::string_view(row.control) == "corrupt_directory") return v.FsckFoundCorruption();
  if (!row.oracle) return v.wrong_size.has_value();
  for (const auto* r : v.Failing())
    if (r->oracle == *row.oracle && r->phase == row.phase) return true;
  return false;
}

}  // namespace

SelftestResult RunSelftest(const suite::RunOptions& options, const engine::CaseSpec& probe_case,
                           std::ostream& out) {
  engine::FaultInjection after, cache, size, directory;
  after.stale_after_crash = true;
  cache.stale_in_cache = true;
  size.wrong_size_after_crash = true;
  directory.corrupt_directory_after_crash = true;
  const Control controls[] = {{"baseline", {}},
                              {"stale_after_crash", after},
                              {"stale_in_cache", cache},
                              {"wrong_size", size},
                              {"corrupt_directory", directory}};
  const auto rows = Rows();
  std::vector<std::string> columns;
  std::map<std::string, std::vector<std::string>> cells;  // row label -> one cell per column
  SelftestResult result{true, false};

  auto space = scratch::OpenRunSpace(options.workdir, true);
  if (!space) {
    out << "selftest: " << space.error().Message() << "\n";
    return {false, true};
  }
  for (auto fs_type : options.filesystems) {
    if (os::InterruptRequested()) return {false, true};
    scratch::ScratchSpec spec{fs_type, options.block_size, options.mkfs_options,
                              options.mount_options, options.image_bytes, 0};
    const std::string column = std::string(scratch::FsTypeName(fs_type)) + "/" +
                               std::to_string(options.block_size / 1024) + "k";
    columns.push_back(column);
    auto fs = scratch::ScratchFs::Create(spec, space->dir->path(),
                                         "selftest-" + std::string(scratch::FsTypeName(fs_type)),
                                         space->lease.get());
    if (!fs) {
      out << column << ": could not set up: " << fs.error().Message() << "\n";
      for (const auto& row : rows) cells[row.label].push_back("?");
      result = {false, true};
      continue;
    }
    std::map<std::string, oracles::Verdict> verdicts;
    for (const auto& control : controls) {
      engine::CaseSpec c = probe_case;
      c.name = probe_case.name + "_" + control.name;
      engine::ScenarioOptions opt = options.scenario;
      opt.faults = control.faults;
      verdicts[control.name] = oracles::Judge(engine::RunCase(**fs, c, opt));
      const auto& v = verdicts[control.name];
      out << column << ": " << control.name << ": " << oracles::OutcomeName(v.outcome) << "  "
          << v.summary << "\n";
    }
    // Without a clean baseline a failure under a fault proves nothing.
    const bool baseline_ok = verdicts["baseline"].outcome == Outcome::kPass;
    if (!baseline_ok) {
      out << column << ": the baseline did not pass, so the controls cannot show detection\n";
      result.all_detected = false;
      if (verdicts["baseline"].outcome == Outcome::kError) result.setup_failed = true;
    }
    for (const auto& row : rows) {
      const bool yes = baseline_ok && Detects(verdicts[row.control], row);
      cells[row.label].push_back(!baseline_ok ? "?" : yes ? "yes" : "NO");
      result.all_detected &= yes;
    }
    if (options.keep && !result.all_detected) {
      (*fs)->KeepImage();
      space->dir->Keep();
    }
  }
  char line[128];
  out << "\n";
  std::snprintf(line, sizeof line, "%-30s", "oracle (phase) detects");
  out << line;
  for (const auto& c : columns) out << "  " << c << std::string(c.size() < 8 ? 8 - c.size() : 0, ' ');
  out << "\n";
  for (const auto& row : rows) {
    std::snprintf(line, sizeof line, "%-30s", row.label.c_str());
    out << line;
    for (const auto& cell : cells[row.label]) out << "  " << cell << std::string(8 - cell.size(), ' ');
    out << "\n";
  }
  return result;
}

}  // namespace eofzero::cli
