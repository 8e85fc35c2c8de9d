// Where a case's outcome leaves a CI run, given the failures a configuration
// declared as expected (known kernel bugs): known failures keep CI green, new
// failures and fixed ones (an unexpected pass) turn it red, as do errors —
// an error means the tool did not look, which must not pass silently.
#pragma once

#include "report/record.h"

namespace eofzero::report {

enum class Standing {
  kPass,            // passed, as expected
  kExpectedFail,    // failed, and the configuration declared it
  kNewFail,         // failed, not declared: red
  kUnexpectedPass,  // declared as an expected failure, but passed: red
  kSkip,            // did not apply (declared or not)
  kError,           // the tool could not look: red
};

// "pass", "xfail", "FAIL", "XPASS", "skip", "ERROR" (pytest's words).
const char* StandingName(Standing s);

// `covered`: every finding of the failure is of a kind the declaration names.
Standing StandingOf(oracles::Outcome outcome, bool declared_expected_failure, bool covered = true);
Standing StandingOf(const CaseRecord& r);

// The finding kinds a declaration may name.
bool IsFindingKind(const std::string& kind);

bool IsRed(Standing s);

}  // namespace eofzero::report
