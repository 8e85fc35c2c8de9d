#include "suite/explore_plan.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "engine/case_file.h"

namespace eofzero::suite {
namespace {

// Rows as left-aligned columns, the first row the header.
std::string Columns(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], row[i].size());
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i)
      line += i + 1 == row.size() ? row[i] : fmt::format("{:<{}}  ", row[i], width[i]);
    out += line + "\n";
  }
  return out;
}

// "new", or the first catalog cases of the same shape ("a, b +3").
std::string CatalogCell(const std::vector<std::string>& cases) {
  constexpr std::size_t kShown = 2;
  if (cases.empty()) return "new";
  std::string out;
  for (std::size_t i = 0; i < cases.size() && i < kShown; ++i) out += (i ? ", " : "") + cases[i];
  if (cases.size() > kShown) out += fmt::format(" +{}", cases.size() - kShown);
  return out;
}

}  // namespace

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
    return runs;
  }
  for (int depth = 1; depth <= options.depth; ++depth)
    space.ForEach(depth, [&](const std::vector<explore::Concrete>& workload) {
      add(workload);
      return true;
    });
  return runs;
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
  auto kind = explore::PrimaryFinding(verdict);
  if (!kind) return;
  explore::Signature group = explore::GroupOf(config, *kind, run.workload);
  auto [it, fresh] = groups_.try_emplace(group, FindingGroup{group, 0, run});
  it->second.runs += 1;
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

std::vector<std::string> CoveredBy(const explore::Signature& s,
                                   const std::vector<CatalogShape>& catalog) {
  std::vector<std::string> out;
  for (const auto& c : catalog)
    if (c.ops == s.ops && c.distance == s.distance) out.push_back(c.case_name);
  return out;
}

std::string RenderFindings(const std::vector<Finding>& findings) {
  if (findings.empty()) return "no findings\n";
  std::string out = fmt::format("{} finding{} (one row per signature):\n", findings.size(),
                                findings.size() == 1 ? "" : "s");
  std::vector<std::vector<std::string>> rows = {
      {"configuration", "finding", "runs", "crash", "reproduced", "catalog", "reduced workload"}};
  for (const auto& f : findings)
    rows.push_back({f.signature.config,
                    f.signature.finding.kind +
                        (f.signature.finding.after_crash ? " after the crash" : " before the crash"),
                    std::to_string(f.runs), explore::NameOf(f.reduced.crash),
                    fmt::format("{}/{}", f.confirmed, f.confirm),
                    CatalogCell(f.covered_by),
                    explore::Describe(f.reduced.workload)});
  return out + Columns(rows);
}

}  // namespace eofzero::suite
