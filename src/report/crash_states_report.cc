#include "report/crash_states_report.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "report/human_reporter.h"

namespace eofzero::report {
namespace {

constexpr std::size_t kStatesInFull = 3;  // failing states whose evidence is printed whole

std::string Ms(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f ms", seconds * 1000);
  return buf;
}

// Each line of `text` indented by two more spaces.
std::string Indented(const std::string& text) {
  std::istringstream in(text);
  std::string out;
  for (std::string line; std::getline(in, line);) out += "  " + line + "\n";
  return out;
}

}  // namespace

std::string CrashStatesName(const std::string& case_name) { return case_name + "@states"; }

std::string RenderCrashStatesEvidence(const ConfigInfo& config, const oracles::CrashStates& s) {
  std::ostringstream os;
  if (!s.error.empty()) {
    os << "    crash states of " << s.case_name << " on " << config.Label() << " from " << s.log
       << ": none checked: " << s.error << "\n";
    return os.str();
  }
  os << "    crash states of " << s.case_name << " on " << config.Label() << " from " << s.log
     << ": barriers " << s.first_barrier << " to " << s.last_barrier << ", " << s.window_changes
     << " writes in the window; " << s.planned << " states planned, " << s.identical
     << " identical to one before, " << s.states.size() << " checked (median "
     << Ms(oracles::MedianSeconds(s)) << " each)\n";
  if (!s.planted_bad_write.empty())
    os << "    the control (bad-logged-write, in memory only): " << s.planted_bad_write << "\n";
  std::size_t shown = 0;
  for (const auto& st : s.states) {
    if (st.outcome != oracles::Outcome::kFail && st.outcome != oracles::Outcome::kError) continue;
    os << "    state " << st.address << " " << oracles::OutcomeName(st.outcome) << ": "
       << st.summary << "\n";
    if (!st.steps.empty()) {
      os << "      its epoch's writes were issued during:";
      for (const auto& step : st.steps) os << " [" << step << "]";
      os << "\n";
    }
    if (st.run && st.verdict && st.verdict->outcome == oracles::Outcome::kFail &&
        shown++ < kStatesInFull)
      os << Indented(RenderEvidence(config, *st.run, *st.verdict));
    os << "      rebuild: " << oracles::ReplayCommand(s.log, st.address)
       << (s.planted_bad_write.empty() ? "" : "  (the log as recorded: without the control's change)")
       << "\n";
  }
  return os.str();
}

CaseRecord MakeCrashStatesRecord(const ConfigInfo& config, const oracles::CrashStates& s) {
  CaseRecord r;
  r.case_name = CrashStatesName(s.case_name);
  r.case_file = s.case_file;
  r.outcome = s.outcome;
  r.summary = s.summary;
  r.reason = !s.not_run.empty() ? s.not_run : s.not_checked;
  if (s.outcome == oracles::Outcome::kFail || s.outcome == oracles::Outcome::kError)
    r.evidence = RenderCrashStatesEvidence(config, s);
  for (const auto& st : s.states) {
    if (st.outcome != oracles::Outcome::kFail) continue;
    std::vector<oracles::FindingKind> kinds = {oracles::FindingKind::kInvariant};  // did not mount
    if (st.run && st.verdict) kinds = st.verdict->kinds;
    for (auto k : kinds)
      if (std::find(r.findings.begin(), r.findings.end(), oracles::FindingKindName(k)) ==
          r.findings.end())
        r.findings.push_back(oracles::FindingKindName(k));
  }
  if (!s.planted_bad_write.empty()) r.notes.push_back("control: " + s.planted_bad_write);
  r.seconds = s.seconds;
  // Kept from running or from finishing, as a case is (README: not_run).
  r.not_run = !s.not_run.empty() || !s.interrupted.empty();
  auto& d = r.detail;
  d["crash_states"] = {{"log", s.log},
                       {"first_barrier", s.first_barrier},
                       {"last_barrier", s.last_barrier},
                       {"window_changes", s.window_changes},
                       {"planned", s.planned},
                       {"identical", s.identical},
                       {"checked", s.states.size()},
                       {"median_seconds", oracles::MedianSeconds(s)}};
  auto list = nlohmann::ordered_json::array();
  for (const auto& st : s.states)
    list.push_back({{"state", st.address},
                    {"outcome", oracles::OutcomeName(st.outcome)},
                    {"summary", st.summary},
                    {"steps", st.steps},
                    {"seconds", st.seconds},
                    {"serve_seconds", st.serve_seconds},
                    {"check_seconds", st.check_seconds},
                    {"release_seconds", st.release_seconds},
                    {"rebuild", oracles::ReplayCommand(s.log, st.address)}});
  d["crash_states"]["states"] = std::move(list);
  return r;
}

}  // namespace eofzero::report
