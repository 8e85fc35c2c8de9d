#include "report/human_reporter.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "report/crash_states_report.h"
#include "report/hexdump.h"
#include "report/sweep_table.h"
#include "report/table.h"
#include "report/tool_version.h"
#include "report/views_evidence.h"

namespace eofzero::report {

using oracles::Outcome;

std::string ConfigInfo::Label() const {
  const std::string geometry = fs + " bs=" + std::to_string(block_size);
  return name.empty() ? geometry : name + " (" + geometry + ")";
}

std::string ConfigInfo::Short() const {
  if (!name.empty()) return name;
  return block_size % 1024 ? fs + "/" + std::to_string(block_size)
                           : fs + "/" + std::to_string(block_size / 1024) + "k";
}

namespace {

// To the millisecond first, as the JSON keeps it: a report read back prints
// the same figure as the run did.
std::string CaseSeconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2fs", std::round(s * 1000) / 1000);
  return buf;
}

std::string Ranges(const std::vector<ByteRange>& ranges) {
  std::string s;
  for (const auto& r : ranges) {
    if (!s.empty()) s += " ";
    s += "[" + std::to_string(r.begin) + ", " + std::to_string(r.end) + ")";
  }
  return s;
}

std::string ConfigReadyLine(const ConfigInfo& config) {
  return "== " + config.Label() + " on " + config.device + ": " + config.mkfs_command +
         (config.mount_options.empty() ? "" : "; mount -o " + config.mount_options) + "\n";
}

std::string ConfigFailedLine(const ConfigInfo& config, const std::string& error) {
  return "== " + config.Label() + ": could not set up: " + error + "\n";
}

}  // namespace

std::string RenderEvidence(const ConfigInfo& config, const engine::CaseRun& run,
                           const oracles::Verdict& verdict) {
  std::ostringstream os;
  os << "    case " << run.case_name << " on " << config.Label() << " (" << config.device << ")"
     << (run.case_file.empty() ? "" : "\n    case file: " + run.case_file)
     << "\n    mkfs: " << config.mkfs_command << "\n    mount options: "
     << (config.mount_options.empty() ? "(defaults)" : config.mount_options) << "\n";
  if (run.plant)
    os << "    sentinel planted at device offset " << run.plant->device_offset << " (extent flags "
       << os::ExtentFlagNames(run.plant->extent.flags) << "), old EOF " << run.old_eof << "\n";
  if (verdict.wrong_size)
    os << "    size oracle (" << engine::PhaseName(verdict.wrong_size->phase) << ", step on line "
       << verdict.wrong_size->line << "): size is " << verdict.wrong_size->observed
       << ", expected " << verdict.wrong_size->expected << "\n";
  for (const auto& b : verdict.invariants)
    os << "    invariant '" << oracles::InvariantName(b.invariant) << "' ("
       << (b.read_back ? "read back by the crash model: " : "") << engine::OracleName(b.oracle)
       << (b.read_back ? " of " + Ranges({*b.read_back}) : "") << ", "
       << engine::PhaseName(b.phase) << "): " << b.evidence << "\n";
  if (!verdict.invariants.empty() && !verdict.legal_sizes.empty())
    os << "    the crash model allows a size of " << verdict.legal_sizes << " after the crash\n";
  if (!run.written.empty()) {
    std::vector<ByteRange> ranges;
    for (const auto& w : run.written) ranges.push_back(w.range);
    os << "    the case wrote block offsets " << Ranges(ranges)
       << " itself: there its data or zeros are expected\n";
  }
  for (const auto* r : verdict.Failing()) {
    const auto& view = run.views[r->view_index];
    const bool raw =
        view.oracle == engine::Oracle::kRawDevice || view.oracle == engine::Oracle::kOffline;
    os << "    " << engine::OracleName(r->oracle) << " (" << engine::PhaseName(r->phase)
       << "): " << r->finding.nonzero << " of " << r->finding.bytes_examined
       << " gap bytes non-zero (" << r->finding.sentinel << " are sentinel) at block offsets "
       << Ranges(r->finding.dirty) << "; block at " << (raw ? "device" : "file") << " offset "
       << view.base_offset << "\n";
    if (!view.note.empty()) os << "      " << view.note << "\n";
    HexdumpOptions opt{view.base_offset, r->finding.gap, 16, "      "};
    os << RenderHexdump(view.bytes, opt, [&](std::uint64_t i) {
      switch (r->finding.ByteAt(i)) {
        case oracles::GapByte::kSentinel:
          return '^';
        case oracles::GapByte::kOther:
          return '*';
        case oracles::GapByte::kClean:
          break;
      }
      return ' ';
    });
  }
  if (!verdict.Failing().empty())
    os << "      (^^ sentinel byte in the gap, ** other non-zero byte in the gap)\n";
  if (verdict.views) os << RenderViewsEvidence(*verdict.views);  // both fsck runs, in full
  for (const auto& f : run.race_findings) os << "    race: " << f << "\n";
  for (const auto& f : verdict.fsck) {
    if (f.verdict != oracles::FsckVerdict::kCorrupt || verdict.views) continue;
    os << "    fsck: " << f.run.CommandLine() << " " << f.run.Ending() << ": " << f.reason
       << "\n";
    std::istringstream lines(f.run.out + f.run.err);
    for (std::string line; std::getline(lines, line);) os << "      | " << line << "\n";
  }
  return os.str();
}

std::string HumanReporter::Place() const {
  return planned_ ? std::to_string(done_) + "/" + std::to_string(planned_) : std::to_string(done_);
}

void HumanReporter::ClearTransient() {
  if (!transient_shown_) return;
  out_ << "\r\033[K";
  transient_shown_ = false;
}

void HumanReporter::RunStarted(const std::string& kernel) {
  record_.RunStarted(kernel);
  out_ << ToolIdentity(ThisTool()) << " on Linux " << kernel << "\n";
  out_.flush();
}

void HumanReporter::ConfigReady(const ConfigInfo& config) {
  record_.ConfigReady(config);
  ClearTransient();
  out_ << ConfigReadyLine(config);
  out_.flush();
}

void HumanReporter::ConfigFailed(const ConfigInfo& config, const std::string& error) {
  record_.ConfigFailed(config, error);
  ClearTransient();
  out_ << ConfigFailedLine(config, error);
  out_.flush();
}

std::string RenderCaseLines(const ConfigInfo& config, const CaseRecord& r,
                            const std::string& place) {
  char line[160];
  std::snprintf(line, sizeof line, "%-5s %-7s %-8s %-28s %7s  ", oracles::OutcomeName(r.outcome),
                place.c_str(), config.Short().c_str(), r.case_name.c_str(),
                CaseSeconds(r.seconds).c_str());
  std::string out = line + r.summary + "\n" + r.evidence;
  if (place != "states")  // a crash states' notes (the control) are in their evidence
    for (const auto& note : r.notes) out += "    note: " + note + "\n";
  return out;
}

std::string RenderClosing(const RunRecord& record) {
  int counts[4] = {0, 0, 0, 0};  // indexed by oracles::Outcome
  std::size_t cases = 0;
  for (const auto& c : record.configs)
    for (const auto& r : c.cases) {
      ++counts[static_cast<int>(r.outcome)];
      cases += !r.detail.contains("crash_states");
    }
  std::ostringstream os;
  if (cases > 1) os << "\n" << RenderTable(record, TableStyle::kText) << "\n";
  os << counts[static_cast<int>(Outcome::kPass)] << " passed, "
     << counts[static_cast<int>(Outcome::kFail)] << " failed, "
     << counts[static_cast<int>(Outcome::kSkip)] << " skipped, "
     << counts[static_cast<int>(Outcome::kError)] << " errors in " << CaseSeconds(record.seconds);
  if (record.interrupted_by) os << "; " << InterruptionSummary(record);
  os << "\n";
  return os.str();
}

std::string RenderHumanReport(const RunRecord& record) {
  std::size_t planned = 0, done = 0;
  for (const auto& c : record.configs)
    for (const auto& r : c.cases) planned += !r.detail.contains("crash_states");
  std::string out = ToolIdentity(record.tool) + " on Linux " + record.kernel + "\n";
  for (const auto& c : record.configs) {
    if (!c.setup_error.empty())
      out += ConfigFailedLine(c.config, c.setup_error);
    else if (!c.config.mkfs_command.empty() || !c.config.device.empty())
      out += ConfigReadyLine(c.config);
    for (const auto& r : c.cases) {
      const bool states = r.detail.contains("crash_states");
      out += RenderCaseLines(c.config, r,
                             states ? "states"
                                    : std::to_string(++done) + "/" + std::to_string(planned));
    }
  }
  out += RenderClosing(record);
  if (record.sweep)
    out += RenderSweepTable(SweepCells(record), record.sweep->primitives, record.sweep->crashes);
  return out;
}

void HumanReporter::CaseDone(const ConfigInfo& config, const CaseResult& result) {
  record_.CaseDone(config, result);
  ++done_;
  ClearTransient();
  out_ << RenderCaseLines(config, record_.last(), Place());
  out_.flush();
}

void HumanReporter::CrashStatesDone(const ConfigInfo& config, const oracles::CrashStates& states) {
  record_.CrashStatesDone(config, states);
  ClearTransient();
  out_ << RenderCaseLines(config, record_.last(), "states");
  out_.flush();
}

void HumanReporter::CaseStarted(const ConfigInfo& config, const std::string& case_name) {
  if (!interactive_) return;
  out_ << "\r\033[K" << "running " << done_ + 1 << (planned_ ? "/" + std::to_string(planned_) : "")
       << " " << config.Short() << " " << case_name << " ...";
  transient_shown_ = true;
  out_.flush();
}

void HumanReporter::Finish(double seconds) {
  record_.Finish(seconds);
  ClearTransient();
  out_ << RenderClosing(record_.record());
  out_.flush();
}

}  // namespace eofzero::report
