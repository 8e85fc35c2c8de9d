#include "report/matrix_reporter.h"

#include <fmt/format.h>

#include <cstdio>
#include <sstream>

#include "report/standing.h"
#include "report/table.h"
#include "report/tool_version.h"

namespace eofzero::report {
namespace {

constexpr const char* kEraseLine = "\r\033[K";

std::string ConfigSeconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", s);
  return buf;
}

// What needs a human after the table: each red cell, with its evidence when
// there are only a few (all of it is in the JSON and JUnit reports). After an
// interrupt, the cases that did not run are listed under the table instead.
std::string Attention(const RunRecord& record) {
  constexpr int kEvidenceUpTo = 4;
  auto needs_attention = [&](const CaseRecord& r) {
    return IsRed(StandingOf(r)) && !(r.not_run && record.interrupted_by);
  };
  int red = 0;
  for (const auto& c : record.configs)
    for (const auto& r : c.cases) red += needs_attention(r);
  std::ostringstream os;
  for (const auto& c : record.configs) {
    for (const auto& r : c.cases) {
      const Standing s = StandingOf(r);
      if (!needs_attention(r)) continue;
      os << StandingName(s) << "  " << c.config.name << "  " << r.case_name << "  " << r.summary
         << "\n";
      if (s == Standing::kUnexpectedPass)
        os << "    declared as an expected failure: " << r.expected_failure->reason
           << "\n    it passed: if the bug is fixed, remove the declaration\n";
      if (s == Standing::kNewFail && r.expected_failure)
        os << "    declared as an expected failure of kind "
           << fmt::to_string(fmt::join(r.expected_failure->findings, ", ")) << ", but it found "
           << fmt::to_string(fmt::join(r.findings, ", ")) << "\n";
      if (s == Standing::kError && !r.reason.empty() &&
          r.summary.find(r.reason) == std::string::npos)
        os << "    " << r.reason << "\n";
      if (red <= kEvidenceUpTo) os << r.evidence;
    }
  }
  if (red > kEvidenceUpTo)
    os << "(" << red << " need attention: the evidence of each is in the JSON and JUnit reports, "
       << "--format json|junit --output FILE)\n";
  return os.str();
}

}  // namespace

std::string MatrixProgressLine(std::size_t n, std::size_t of, const ConfigRecord& c,
                               double seconds) {
  int counts[6] = {};
  for (const auto& r : c.cases) ++counts[static_cast<int>(StandingOf(r))];
  std::string tally;
  for (Standing s : {Standing::kPass, Standing::kExpectedFail, Standing::kNewFail,
                     Standing::kUnexpectedPass, Standing::kSkip, Standing::kError})
    if (counts[static_cast<int>(s)])
      tally += (tally.empty() ? "" : ", ") + std::to_string(counts[static_cast<int>(s)]) + " " +
               StandingName(s);
  char line[200];
  std::snprintf(line, sizeof line, "[%zu/%zu] %-20s %3zu cases %7s  ", n, of, c.config.name.c_str(),
                c.cases.size(), ConfigSeconds(seconds).c_str());
  return line + (tally.empty() ? "no cases" : tally) +
         (c.setup_error.empty() ? "" : "; " + c.setup_error);
}

std::string RenderMatrixSummary(const RunRecord& record, std::size_t configurations,
                                unsigned parallel, const std::string& command) {
  std::string closing = command + ": " + std::to_string(configurations) + " configurations in " +
                        ConfigSeconds(record.seconds) + " with -j " + std::to_string(parallel);
  if (record.interrupted_by) closing += "; " + InterruptionSummary(record);
  return RenderTable(record, TableStyle::kText) + "\n" + Attention(record) + closing + "\n";
}

std::string MatrixRendering::Progress(std::size_t n, std::size_t of, const ConfigRecord& config,
                                     double seconds) const {
  return progress ? progress(n, of, config, seconds) : MatrixProgressLine(n, of, config, seconds);
}

std::string MatrixRendering::Summary(const RunRecord& record, std::size_t configurations,
                                     unsigned parallel, const std::string& command) const {
  return summary ? summary(record, configurations, parallel)
                 : RenderMatrixSummary(record, configurations, parallel, command);
}

void MatrixTextReporter::Started(const std::string& kernel, std::size_t configurations,
                                 unsigned parallel) {
  out_ << ToolIdentity(ThisTool()) << " " << command_ << " on Linux " << kernel << ": "
       << configurations << " configurations, "
       << parallel << " at a time\n";
  out_.flush();
}

void MatrixTextReporter::Running(const std::vector<std::string>& names) {
  if (!interactive_) return;
  out_ << kEraseLine << "running: " << fmt::to_string(fmt::join(names, ", ")) << " ...";
  out_.flush();
}

void MatrixTextReporter::ConfigDone(std::size_t n, std::size_t of, const ConfigRecord& config,
                                    double seconds) {
  out_ << (interactive_ ? kEraseLine : "") << rendering_.Progress(n, of, config, seconds) << "\n";
  out_.flush();
}

void MatrixTextReporter::Finished(const RunRecord& record, std::size_t configurations,
                                  unsigned parallel) {
  out_ << (interactive_ ? std::string(kEraseLine) + "\n" : "\n")
       << rendering_.Summary(record, configurations, parallel, command_);
  out_.flush();
}

}  // namespace eofzero::report
