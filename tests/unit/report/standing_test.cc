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

}  // namespace
}  // namespace eofzero::report
