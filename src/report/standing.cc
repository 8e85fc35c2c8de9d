#include "report/standing.h"

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

Standing StandingOf(oracles::Outcome outcome, bool declared_expected_failure) {
  switch (outcome) {
    case oracles::Outcome::kPass:
      return declared_expected_failure ? Standing::kUnexpectedPass : Standing::kPass;
    case oracles::Outcome::kFail:
      return declared_expected_failure ? Standing::kExpectedFail : Standing::kNewFail;
    case oracles::Outcome::kSkip:
      return Standing::kSkip;
    case oracles::Outcome::kError:
      return Standing::kError;
  }
  return Standing::kError;
}

bool IsRed(Standing s) {
  return s == Standing::kNewFail || s == Standing::kUnexpectedPass || s == Standing::kError;
}

}  // namespace eofzero::report
