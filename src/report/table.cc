#include "report/table.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

#include "os/process.h"
#include "report/standing.h"

namespace eofzero::report {
namespace {

struct Grid {
  std::vector<std::string> columns;                               // configurations
  std::vector<std::string> rows;                                  // cases, by name
  std::map<std::pair<std::string, std::size_t>, Standing> cells;  // (case, column)
  int counts[6] = {};
};

Grid MakeGrid(const RunRecord& record) {
  Grid g;
  for (const auto& c : record.configs) {
    const std::size_t col = g.columns.size();
    g.columns.push_back(c.config.Short());
    for (const auto& r : c.cases) {
      if (std::find(g.rows.begin(), g.rows.end(), r.case_name) == g.rows.end())
        g.rows.push_back(r.case_name);
      const Standing s = StandingOf(r);
      g.cells[{r.case_name, col}] = s;
      ++g.counts[static_cast<int>(s)];
    }
  }
  std::sort(g.rows.begin(), g.rows.end());
  return g;
}

std::string Cell(const Grid& g, const std::string& row, std::size_t col, bool markdown) {
  auto it = g.cells.find({row, col});
  if (it == g.cells.end()) return "-";
  const std::string name = StandingName(it->second);
  return markdown && IsRed(it->second) ? "**" + name + "**" : name;
}

std::string Pad(const std::string& s, std::size_t width) {
  return s + std::string(width > s.size() ? width - s.size() : 0, ' ');
}

std::string Totals(const Grid& g) {
  std::string s;
  for (Standing st : {Standing::kPass, Standing::kExpectedFail, Standing::kNewFail,
                      Standing::kUnexpectedPass, Standing::kSkip, Standing::kError}) {
    if (!g.counts[static_cast<int>(st)]) continue;
    s += (s.empty() ? "" : ", ") + std::to_string(g.counts[static_cast<int>(st)]) + " " +
         StandingName(st);
  }
  return s.empty() ? "no cases" : s;
}

// Per configuration with cases that did not run: "ext4/4k: fallocate,
// truncate_up", "xfs/4k: all 3 cases".
std::vector<std::string> NotRunByConfig(const RunRecord& record) {
  std::vector<std::string> out;
  for (const auto& c : record.configs) {
    std::vector<std::string> names;
    for (const auto& r : c.cases)
      if (r.not_run) names.push_back(r.case_name);
    if (names.empty()) continue;
    const bool all = names.size() == c.cases.size() && names.size() > 1;
    out.push_back(c.config.Short() + ": " +
                  (all ? "all " + std::to_string(names.size()) + " cases"
                       : fmt::to_string(fmt::join(names, ", "))));
  }
  return out;
}

// Under the text table: "interrupted by signal 2 (SIGINT); did not run:" and
// a line per configuration.
std::string TextInterruption(const RunRecord& record) {
  const auto not_run = NotRunByConfig(record);
  std::string out = Interruption(record.interrupted_by) +
                    (not_run.empty() ? "; every case ran\n" : "; did not run:\n");
  for (const auto& line : not_run) out += "  " + line + "\n";
  return out;
}

std::string Text(const Grid& g) {
  std::size_t first = 4;
  for (const auto& r : g.rows) first = std::max(first, r.size());
  std::vector<std::size_t> widths;
  for (const auto& c : g.columns) widths.push_back(std::max<std::size_t>(c.size(), 5));
  std::string out = Pad("case", first);
  for (std::size_t i = 0; i < g.columns.size(); ++i) out += "  " + Pad(g.columns[i], widths[i]);
  out += "\n";
  for (const auto& row : g.rows) {
    std::string line = Pad(row, first);
    for (std::size_t i = 0; i < g.columns.size(); ++i)
      line += "  " + Pad(Cell(g, row, i, false), widths[i]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string Markdown(const RunRecord& record, const Grid& g) {
  std::string out;
  if (record.interrupted_by) {
    std::string not_run;
    for (const auto& line : NotRunByConfig(record)) not_run += (not_run.empty() ? "" : "; ") + line;
    out = "**Interrupted** by " + os::DescribeSignal(record.interrupted_by) +
          (not_run.empty() ? "; every case ran" : "; did not run: " + not_run) + "\n\n";
  }
  out += "| case |";
  std::string rule = "|---|";
  for (const auto& c : g.columns) {
    out += " " + c + " |";
    rule += "---|";
  }
  out += "\n" + rule + "\n";
  for (const auto& row : g.rows) {
    out += "| " + row + " |";
    for (std::size_t i = 0; i < g.columns.size(); ++i) out += " " + Cell(g, row, i, true) + " |";
    out += "\n";
  }
  out += "\n" + Totals(g) + " (kernel " + record.kernel +
         (record.tool.version.empty() ? "" : "; " + ToolIdentity(record.tool)) + ")\n";
  std::string red;
  for (const auto& c : record.configs) {
    if (!c.setup_error.empty())
      red += "- `" + c.config.Short() + "`: could not be set up: " + c.setup_error + "\n";
    for (const auto& r : c.cases) {
      const Standing s = StandingOf(r);
      if (!IsRed(s) || (r.not_run && record.interrupted_by)) continue;  // listed on top
      red += "- `" + c.config.Short() + "` `" + r.case_name + "`: " + StandingName(s) + ": " +
             r.summary;
      if (r.expected_failure)
        red += " (declared for " + fmt::to_string(fmt::join(r.expected_failure->findings, ", ")) +
               " findings: " + r.expected_failure->reason + ")";
      red += "\n";
    }
  }
  if (!red.empty()) out += "\nNeeds attention:\n\n" + red;
  return out;
}

}  // namespace

std::string RenderTable(const RunRecord& record, TableStyle style) {
  const Grid g = MakeGrid(record);
  if (style == TableStyle::kMarkdown) return Markdown(record, g);
  return Text(g) + (record.interrupted_by ? TextInterruption(record) : "");
}

}  // namespace eofzero::report
