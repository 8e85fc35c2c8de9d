#include "report/selftest_report.h"

#include <algorithm>
#include <cstdio>

namespace eofzero::report {

std::string RenderSelftestTable(const SelftestTable& table) {
  std::string out = "\n";
  char line[128];
  std::snprintf(line, sizeof line, "%-30s", "oracle (phase) detects");
  out += line;
  // Each column as wide as its name, at least 8 ("RELEASE:ext4/4k" under
  // `kernels --selftest`), its cells padded to it.
  auto padded = [](const std::string& text, std::size_t width) {
    return "  " + text + std::string(text.size() < width ? width - text.size() : 0, ' ');
  };
  std::vector<std::size_t> widths;
  for (const auto& c : table.columns) widths.push_back(std::max<std::size_t>(8, c.size()));
  for (std::size_t i = 0; i < table.columns.size(); ++i) out += padded(table.columns[i], widths[i]);
  out += "\n";
  for (const auto& row : table.rows) {
    std::snprintf(line, sizeof line, "%-30s", row.label.c_str());
    out += line;
    for (std::size_t i = 0; i < row.cells.size(); ++i)
      out += padded(row.cells[i], i < widths.size() ? widths[i] : 8);
    out += "\n";
  }
  return out;
}

void SelftestTextReporter::RunFailed(const std::string& error) {
  out_ << "selftest: " << error << "\n";
}

std::string SetupFailedLine(const std::string& column, const std::string& error) {
  return column + ": could not set up: " + error + "\n";
}

std::string BaselineFailedLine(const std::string& column, const std::string& baseline) {
  return column + ": the " + baseline + " did not pass, so the controls " +
         (baseline == "baseline" ? "" : "of its case ") + "cannot show detection\n";
}

void SelftestTextReporter::SetupFailed(const std::string& column, const std::string& error) {
  out_ << SetupFailedLine(column, error);
}

void SelftestTextReporter::ControlDone(const std::string& column, const std::string& control,
                                       const oracles::Verdict& verdict) {
  out_ << column << ": " << control << ": " << oracles::OutcomeName(verdict.outcome) << "  "
       << verdict.summary << "\n";
}

void SelftestTextReporter::BaselineFailed(const std::string& column, const std::string& baseline) {
  out_ << BaselineFailedLine(column, baseline);
}

void SelftestTextReporter::Finish(const SelftestTable& table) {
  out_ << RenderSelftestTable(table);
}

}  // namespace eofzero::report
