#include "report/selftest_report.h"

#include <cstdio>

namespace eofzero::report {

std::string RenderSelftestTable(const SelftestTable& table) {
  std::string out = "\n";
  char line[128];
  std::snprintf(line, sizeof line, "%-30s", "oracle (phase) detects");
  out += line;
  for (const auto& c : table.columns)
    out += "  " + c + std::string(c.size() < 8 ? 8 - c.size() : 0, ' ');
  out += "\n";
  for (const auto& row : table.rows) {
    std::snprintf(line, sizeof line, "%-30s", row.label.c_str());
    out += line;
    for (const auto& cell : row.cells)
      out += "  " + cell + std::string(cell.size() < 8 ? 8 - cell.size() : 0, ' ');
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
