#include "report/human_reporter.h"

#include <cstdio>
#include <sstream>

#include "report/crash_states_report.h"
#include "report/hexdump.h"
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

std::string CaseSeconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2fs", s);
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
  out_ << "== " << config.Label() << " on " << config.device << ": " << config.mkfs_command
       << (config.mount_options.empty() ? "" : "; mount -o " + config.mount_options) << "\n";
  out_.flush();
}

void HumanReporter::ConfigFailed(const ConfigInfo& config, const std::string& error) {
  record_.ConfigFailed(config, error);
  ClearTransient();
  out_ << "== " << config.Label() << ": could not set up: " << error << "\n";
  out_.flush();
}

void HumanReporter::CaseDone(const ConfigInfo& config, const engine::CaseRun& run,
                             const oracles::Verdict& verdict) {
  record_.CaseDone(config, run, verdict);
  ++counts_[static_cast<int>(verdict.outcome)];
  ++done_;
  ClearTransient();
  char line[160];
  std::snprintf(line, sizeof line, "%-5s %-7s %-8s %-28s %7s  ",
                oracles::OutcomeName(verdict.outcome), Place().c_str(), config.Short().c_str(),
                run.case_name.c_str(), CaseSeconds(run.seconds).c_str());
  out_ << line << verdict.summary << "\n";
  if (verdict.outcome == Outcome::kFail) out_ << RenderEvidence(config, run, verdict);
  for (const auto& note : run.notes) out_ << "    note: " << note << "\n";
  out_.flush();
}

void HumanReporter::CrashStatesDone(const ConfigInfo& config, const oracles::CrashStates& states) {
  record_.CrashStatesDone(config, states);
  ++counts_[static_cast<int>(states.outcome)];
  ClearTransient();
  char line[160];
  std::snprintf(line, sizeof line, "%-5s %-7s %-8s %-28s %7s  ", oracles::OutcomeName(states.outcome),
                "states", config.Short().c_str(), CrashStatesName(states.case_name).c_str(),
                CaseSeconds(states.seconds).c_str());
  out_ << line << states.summary << "\n";
  if (states.outcome == Outcome::kFail || states.outcome == Outcome::kError)
    out_ << RenderCrashStatesEvidence(config, states);
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
  if (done_ > 1) out_ << "\n" << RenderTable(record_.record(), TableStyle::kText) << "\n";
  out_ << counts_[static_cast<int>(Outcome::kPass)] << " passed, "
       << counts_[static_cast<int>(Outcome::kFail)] << " failed, "
       << counts_[static_cast<int>(Outcome::kSkip)] << " skipped, "
       << counts_[static_cast<int>(Outcome::kError)] << " errors in " << CaseSeconds(seconds);
  if (record_.record().interrupted_by) out_ << "; " << InterruptionSummary(record_.record());
  out_ << "\n";
  out_.flush();
}

}  // namespace eofzero::report
