#include "report/sweep_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace eofzero::report {

using oracles::Invariant;
using oracles::Outcome;

char SweepCode(const oracles::Verdict& v) {
  switch (v.outcome) {
    case Outcome::kPass:
      return '.';
    case Outcome::kSkip:
      return 's';
    case Outcome::kError:
      return 'E';
    case Outcome::kFail:
      break;
  }
  const auto broken = v.BrokenInvariants();
  if (!broken.empty()) return oracles::InvariantLetter(broken.front());
  const auto primary = v.Primary();
  return primary ? oracles::InfoOf(*primary).letter : 'E';
}

std::string SweepLegend() {
  std::string out = ". pass  s skip  E error  - not applicable; a failure:";
  const char* sep = " ";
  for (Invariant i : oracles::kInvariants) {
    out += fmt::format("{}{} {}", sep, oracles::InvariantLetter(i), oracles::InvariantName(i));
    sep = ", ";
  }
  out += " broken first";
  sep = "; ";
  for (const auto& k : oracles::FindingKinds()) {
    if (!k.primary || k.kind == oracles::FindingKind::kInvariant) continue;
    out += fmt::format("{}{} {}", sep, k.letter, k.legend);
    sep = ", ";
  }
  return out + "\n";
}

namespace {

// Worse first: a failure, an error, a pass, a skip.
int Rank(char code) {
  if (code == 's') return 0;
  if (code == '.') return 1;
  if (code == 'E') return 2;
  return 3;
}

std::size_t Width(const std::string& primitive, const std::vector<std::string>& crashes) {
  return std::max(primitive.size(), crashes.size());
}

}  // namespace

std::vector<SweepCell> SweepCells(const RunRecord& record) {
  std::vector<SweepCell> cells;
  std::map<std::string, std::size_t> index;
  for (const auto& c : record.configs) {
    for (const auto& r : c.cases) {
      if (!r.sweep) continue;
      const auto& t = *r.sweep;
      const std::string row = t.base + (t.distance.empty() ? "" : " " + t.distance);
      const std::string key = c.config.Short() + "|" + row + "|" + t.primitive + "|" + t.crash +
                              "|" + std::to_string(t.point);
      const bool first = !index.contains(key);
      if (first) {
        index[key] = cells.size();
        cells.push_back({});
      }
      SweepCell& cell = cells[index[key]];
      ++cell.runs;
      cell.passes += r.outcome == Outcome::kPass;
      if (!first && r.outcome != Outcome::kFail) continue;  // keep the failure
      cell.config = c.config.Short();
      cell.row = row;
      cell.primitive = t.primitive;
      cell.crash = t.crash;
      cell.outcome = r.outcome;
      cell.code = t.code;
      cell.what = "crash after line " + std::to_string(t.point) + ": " + r.summary;
      cell.rerun = t.rerun;
    }
  }
  return cells;
}

std::string RenderSweepTable(const std::vector<SweepCell>& cells,
                             const std::vector<std::string>& primitives,
                             const std::vector<std::string>& crashes) {
  std::string out;
  std::vector<std::string> configs;
  for (const auto& c : cells)
    if (std::find(configs.begin(), configs.end(), c.config) == configs.end())
      configs.push_back(c.config);
  std::string crash_letters;
  for (const auto& c : crashes) crash_letters += c.front();
  for (const auto& config : configs) {
    // row -> column -> the worst cell over points and iterations
    std::map<std::string, std::map<std::string, const SweepCell*>> grid;
    std::size_t width = 4;
    for (const auto& c : cells) {
      if (c.config != config) continue;
      auto& slot = grid[c.row][c.primitive + "/" + c.crash];
      if (!slot || Rank(c.code) > Rank(slot->code)) slot = &c;
      width = std::max(width, c.row.size());
    }
    out += fmt::format("\nsweep on {}: one column per primitive, one letter per crash mode ({})\n",
                       config, crash_letters);
    out += fmt::format("{:<{}}", "case", width);
    for (const auto& p : primitives) out += " " + fmt::format("{:<{}}", p, Width(p, crashes));
    out += "\n";
    for (const auto& [row, columns] : grid) {
      out += fmt::format("{:<{}}", row, width);
      for (const auto& p : primitives) {
        std::string cell;
        for (const auto& c : crashes) {
          auto it = columns.find(p + "/" + c);
          cell += it == columns.end() ? '-' : it->second->code;
        }
        out += " " + fmt::format("{:<{}}", cell, Width(p, crashes));
      }
      out += "\n";
    }
  }
  out += "\n" + SweepLegend();
  std::vector<const SweepCell*> failing;
  for (const auto& c : cells)
    if (c.outcome == Outcome::kFail) failing.push_back(&c);
  if (failing.empty()) return out + "no tuple broke an invariant\n";
  out += fmt::format("\n{} breaking tuple{}:\n", failing.size(), failing.size() == 1 ? "" : "s");
  for (const auto* c : failing) {
    out += fmt::format("  {} {} {} {}{}: {}\n    {}\n", c->config, c->row, c->primitive, c->crash,
                       c->runs > 1 ? fmt::format(" ({} of {})", c->runs - c->passes, c->runs)
                                   : std::string(),
                       c->what, c->rerun);
  }
  return out;
}

}  // namespace eofzero::report
