#include "report/standing.h"

#include <gtest/gtest.h>

namespace eofzero::report {
namespace {

using oracles::Outcome;

TEST(Standing, DeclaredFailuresKeepCiGreenAndEverythingUnexpectedTurnsItRed) {
  struct Row {
    Outcome outcome;
    bool declared;
    Standing standing;
    bool red;
  } rows[] = {
      {Outcome::kPass, false, Standing::kPass, false},
      {Outcome::kPass, true, Standing::kUnexpectedPass, true},
      {Outcome::kFail, false, Standing::kNewFail, true},
      {Outcome::kFail, true, Standing::kExpectedFail, false},
      {Outcome::kSkip, false, Standing::kSkip, false},
      {Outcome::kSkip, true, Standing::kSkip, false},
      {Outcome::kError, false, Standing::kError, true},
      {Outcome::kError, true, Standing::kError, true},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(std::string(oracles::OutcomeName(r.outcome)) + (r.declared ? " declared" : ""));
    EXPECT_EQ(StandingOf(r.outcome, r.declared), r.standing);
    EXPECT_EQ(IsRed(StandingOf(r.outcome, r.declared)), r.red);
  }
}

// A declaration covers the kinds of finding it names: a known gap bug must
// not hide a new size or fsck failure of the same case.
TEST(Standing, ADeclarationCoversOnlyTheKindsOfFindingItNames) {
  CaseRecord r;
  r.outcome = Outcome::kFail;
  r.expected_failure = ExpectedFailure{"xfs tail"};  // gap findings
  r.findings = {"gap"};
  EXPECT_EQ(StandingOf(r), Standing::kExpectedFail);
  r.findings = {"gap", "size"};
  EXPECT_EQ(StandingOf(r), Standing::kNewFail);
  r.findings = {"fsck"};
  EXPECT_EQ(StandingOf(r), Standing::kNewFail);
  r.expected_failure->findings = {"gap", "size", "fsck"};
  EXPECT_EQ(StandingOf(r), Standing::kExpectedFail);
  r.findings = {};
  EXPECT_EQ(StandingOf(r), Standing::kNewFail) << "a FAIL with no known kind is never covered";
}

}  // namespace
}  // namespace eofzero::report
