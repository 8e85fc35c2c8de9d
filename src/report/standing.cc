#include "report/standing.h"

#include <algorithm>

namespace eofzero::report {

const char* StandingName(Standing s) {
  switch (s) {
    case Standing::kPass:
      return "pass";
    case Standing::kExpectedFail:
      return "xfail";
    case Standing::kNewFail:
      return "FAIL";
    case Standing::kUnexpectedPass:
      return "XPASS";
    case Standing::kSkip:
      return "skip";
    case Standing::kError:
      return "ERROR";
  }
  return "?";
}

Standing StandingOf(oracles::Outcome outcome, bool declared_expected_failure, bool covered) {
  switch (outcome) {
    case oracles::Outcome::kPass:
      return declared_expected_failure ? Standing::kUnexpectedPass : Standing::kPass;
    case oracles::Outcome::kFail:
      return declared_expected_failure && covered ? Standing::kExpectedFail : Standing::kNewFail;
    case oracles::Outcome::kSkip:
      return Standing::kSkip;
    case oracles::Outcome::kError:
      return Standing::kError;
  }
  return Standing::kError;
}

Standing StandingOf(const CaseRecord& r) {
  bool covered = !r.findings.empty();
  for (const auto& f : r.findings)
    covered &= r.expected_failure && std::find(r.expected_failure->findings.begin(),
                                               r.expected_failure->findings.end(),
                                               f) != r.expected_failure->findings.end();
  return StandingOf(r.outcome, r.expected_failure.has_value(), covered);
}

bool IsFindingKind(const std::string& kind) {
  return oracles::ParseFindingKind(kind).has_value();
}

bool IsRed(Standing s) {
  return s == Standing::kNewFail || s == Standing::kUnexpectedPass || s == Standing::kError;
}

}  // namespace eofzero::report
