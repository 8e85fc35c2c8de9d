#include "report/table.h"

#include <algorithm>
#include <map>
#include <vector>

#include "report/standing.h"

namespace eofzero::report {
namespace {

struct Grid {
  std::vector<std::string> columns;                          // configurations
  std::vector<std::string> rows;                             // cases, by name
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

std::string Join(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : ", ") + w;
  return s;
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
  std::string out = "| case |";
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
  out += "\n" + Totals(g) + " (kernel " + record.kernel + ")\n";
  std::string red;
  for (const auto& c : record.configs) {
    if (!c.setup_error.empty())
      red += "- `" + c.config.Short() + "`: could not be set up: " + c.setup_error + "\n";
    for (const auto& r : c.cases) {
      const Standing s = StandingOf(r);
      if (!IsRed(s)) continue;
      red += "- `" + c.config.Short() + "` `" + r.case_name + "`: " + StandingName(s) + ": " +
             r.summary;
      if (r.expected_failure)
        red += " (declared for " + Join(r.expected_failure->findings) +
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
  return style == TableStyle::kMarkdown ? Markdown(record, g) : Text(g);
}

}  // namespace eofzero::report
