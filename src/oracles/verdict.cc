#include "oracles/verdict.h"

#include <sstream>

namespace eofzero::oracles {

using engine::CaseRun;
using engine::RunStatus;

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kPass:
      return "PASS";
    case Outcome::kFail:
      return "FAIL";
    case Outcome::kSkip:
      return "SKIP";
    case Outcome::kError:
      return "ERROR";
  }
  return "?";
}

std::vector<const OracleResult*> Verdict::Failing() const {
  std::vector<const OracleResult*> out;
  for (const auto& r : oracles)
    if (!r.finding.clean()) out.push_back(&r);
  return out;
}

namespace {

std::string FailureSummary(const Verdict& v, const CaseRun& run) {
  std::ostringstream os;
  const auto failing = v.Failing();
  if (!failing.empty()) {
    os << "gap [" << run.old_eof << ", " << run.block_size << ") not zero:";
    const char* sep = " ";
    for (const auto* r : failing) {
      os << sep << engine::OracleName(r->oracle) << " (" << engine::PhaseName(r->phase) << ")";
      sep = ", ";
    }
  }
  if (v.wrong_size) {
    if (!failing.empty()) os << "; ";
    os << "size after crash " << v.wrong_size->observed << ", expected " << v.wrong_size->expected;
  }
  return os.str();
}

}  // namespace

Verdict Judge(const CaseRun& run) {
  Verdict v;
  if (run.status == RunStatus::kSkipped) {
    v.outcome = Outcome::kSkip;
    v.summary = run.reason;
    return v;
  }
  if (run.status == RunStatus::kError) {
    v.outcome = Outcome::kError;
    v.summary = run.reason;
    return v;
  }
  if (!run.plant || !run.plant->verified) {
    v.outcome = Outcome::kError;
    v.summary = "the sentinel was not planted and verified: nothing to judge";
    return v;
  }
  for (std::size_t i = 0; i < run.views.size(); ++i) {
    const auto& view = run.views[i];
    GapFinding f = CheckGap(view.bytes, view.gap);
    if (f.blind()) continue;
    v.oracles.push_back({view.oracle, view.phase, std::move(f), i});
  }
  bool after_crash_looked = false;
  for (const auto& r : v.oracles) after_crash_looked |= r.phase == engine::Phase::kAfterCrash;
  if (!after_crash_looked || !run.size_after_crash) {
    v.outcome = Outcome::kError;
    v.summary = "no oracle examined the gap after the crash";
    return v;
  }
  if (*run.size_after_crash != run.expected_size)
    v.wrong_size = SizeFinding{run.expected_size, *run.size_after_crash};
  if (!v.Failing().empty() || v.wrong_size) {
    v.outcome = Outcome::kFail;
    v.summary = FailureSummary(v, run);
  } else {
    v.outcome = Outcome::kPass;
    v.summary = std::to_string(v.oracles.size()) + " oracle reads saw a zero gap; size " +
                std::to_string(*run.size_after_crash);
  }
  return v;
}

}  // namespace eofzero::oracles
