#include "suite/explore_plan.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "engine/case_file.h"
#include "suite/sweep_shards.h"

namespace eofzero::suite {

explore::Geometry GeometryFor(fsdriver::FsType fs, std::uint32_t block_size, std::uint32_t gap) {
  explore::Geometry g;
  g.block_size = block_size;
  g.old_eof = block_size - gap;
  g.reflink = fsdriver::Driver(fs).Reflink();
  return g;
}

explore::Bounds BoundsFor(explore::Bounds bounds, const explore::Geometry& g) {
  if (!g.reflink) std::erase(bounds.ops, explore::Op::kReflink);
  return bounds;
}

std::vector<explore::Run> PlanRuns(const ExploreOptions& options, explore::Space& space) {
  std::vector<explore::Run> runs;
  std::set<std::string> seen;
  auto add = [&](const std::vector<explore::Concrete>& workload) {
    for (explore::CrashMode crash : options.crashes) {
      explore::Run run{workload, crash};
      if (seen.insert(explore::RunName(run, space.geometry())).second) runs.push_back(run);
    }
  };
  if (options.sample) {
    for (const auto& workload : space.Sample(options.depth, *options.sample, options.seed))
      for (std::size_t k = 1; k <= workload.size(); ++k)
        add(std::vector<explore::Concrete>(workload.begin(), workload.begin() + k));
  } else {
    for (int depth = 1; depth <= options.depth; ++depth)
      space.ForEach(depth, [&](const std::vector<explore::Concrete>& workload) {
        add(workload);
        return true;
      });
  }
  if (options.shard) {
    std::vector<explore::Run> slice;
    for (std::size_t i = options.shard->index - 1; i < runs.size(); i += options.shard->count)
      slice.push_back(std::move(runs[i]));
    runs = std::move(slice);
  }
  if (!options.worker) return runs;
  const auto [first, last] = SliceRange(runs.size(), *options.worker);
  return {std::make_move_iterator(runs.begin() + static_cast<std::ptrdiff_t>(first)),
          std::make_move_iterator(runs.begin() + static_cast<std::ptrdiff_t>(last))};
}

std::size_t WorkerOfRun(std::size_t total, std::size_t n, std::size_t index) {
  for (std::size_t k = 1; k <= n; ++k)
    if (index < SliceRange(total, {k, n}).second) return k;
  return n;
}

std::expected<PlannedCase, std::string> CaseOf(const explore::Run& run, const explore::Geometry& g,
                                               const std::string& suffix) {
  const std::string name = explore::RunName(run, g) + suffix;
  std::string text = explore::CaseText(run, name, g, explore::Describe(run.workload));
  auto spec = engine::ParseCaseText(text, name + ".toml");
  if (!spec) return std::unexpected(name + ": " + spec.error());
  return PlannedCase{run, std::move(text), std::move(*spec)};
}

void FindingGroups::Add(const std::string& config, const explore::Run& run,
                        const oracles::Verdict& verdict) {
  Add(config, run, explore::PrimaryFinding(verdict), added_);
}

void FindingGroups::Add(const std::string& config, const explore::Run& run,
                        const std::optional<explore::FindingKind>& finding, std::size_t order) {
  ++added_;
  if (!finding) return;
  explore::Signature group = explore::GroupOf(config, *finding, run.workload);
  auto [it, fresh] = groups_.try_emplace(group, FindingGroup{group, 0, run, order});
  it->second.runs += 1;
  if (!fresh && order < it->second.first_order) {
    it->second.first = run;
    it->second.first_order = order;
  }
}

std::vector<Finding> MergeBySignature(std::vector<Finding> findings) {
  std::vector<Finding> out;
  std::map<explore::Signature, std::size_t> at;
  for (auto& f : findings) {
    if (auto it = at.find(f.signature); it != at.end()) {
      out[it->second].runs += f.runs;
      continue;
    }
    at[f.signature] = out.size();
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<std::string> CoveredBy(const explore::Signature& s, explore::CrashMode crash,
                                   const std::vector<CatalogShape>& catalog) {
  std::vector<std::string> out;
  for (const auto& c : catalog)
    if (c.ops == s.ops && c.distance == s.distance && c.crash == explore::NameOf(crash))
      out.push_back(c.case_name);
  return out;
}

FindingRow RowOf(const Finding& f) {
  FindingRow row;
  row.config = f.signature.config;
  row.finding = f.signature.finding.kind;
  row.after_crash = f.signature.finding.after_crash;
  row.ops = f.signature.ops;
  row.distance = f.signature.distance;
  row.runs = f.runs;
  row.crash = explore::NameOf(f.reduced.crash);
  row.reduced_case = f.reduced_name;
  row.reduced_workload = explore::Describe(f.reduced.workload);
  row.case_text = f.case_text;
  row.confirmed = f.confirmed;
  row.confirm = f.confirm;
  row.reduce_seconds = f.reduce_seconds;
  row.covered_by = f.covered_by;
  return row;
}

}  // namespace eofzero::suite
