#include "suite/exit_status.h"

#include <gtest/gtest.h>

#include <csignal>
#include <vector>

#include "matrix_samples.h"

namespace eofzero::suite {
namespace {

using samples::Case;

using oracles::Outcome;
using V = std::vector<Outcome>;

TEST(ExitStatusFor, MapsOutcomesToTheDocumentedCodes) {
  EXPECT_EQ(ExitStatusFor(V{Outcome::kPass, Outcome::kPass}, 0), 0);
  EXPECT_EQ(ExitStatusFor(V{Outcome::kPass, Outcome::kSkip}, 0), 0);
  EXPECT_EQ(ExitStatusFor(V{Outcome::kPass, Outcome::kFail}, 0), 1);
  EXPECT_EQ(ExitStatusFor(V{Outcome::kPass, Outcome::kError}, 0), 3);
  EXPECT_EQ(ExitStatusFor(V{Outcome::kError, Outcome::kFail}, 0), 1);  // a finding outranks
  EXPECT_EQ(ExitStatusFor(V{}, 0), 3);                                 // nothing ran
  EXPECT_EQ(ExitStatusFor(V{Outcome::kSkip}, 0), 0);
}

TEST(ExitStatusFor, InterruptedIs128PlusSignal) {
  EXPECT_EQ(ExitStatusFor(V{Outcome::kFail}, SIGINT), 130);
  EXPECT_EQ(ExitStatusFor(V{}, SIGTERM), 143);
}

TEST(MatrixExitStatus, RedFindingsOutrankErrorsAndKnownFailuresStayGreen) {
  report::RunRecord record;
  report::ConfigRecord c;
  c.cases = {Case("a", Outcome::kPass), Case("b", Outcome::kFail), Case("c", Outcome::kSkip)};
  c.cases[1].expected_failure = report::ExpectedFailure{"known"};
  record.configs = {c};
  EXPECT_EQ(MatrixExitStatus(record), 0);
  record.configs[0].cases.push_back(Case("d", Outcome::kError));
  EXPECT_EQ(MatrixExitStatus(record), 3);
  record.configs[0].cases[0].expected_failure = report::ExpectedFailure{"fixed now"};  // XPASS
  EXPECT_EQ(MatrixExitStatus(record), 1);
  record.configs[0].cases[0].expected_failure.reset();
  record.configs[0].cases[1].expected_failure.reset();  // a new failure
  EXPECT_EQ(MatrixExitStatus(record), 1);
  report::RunRecord setup_failed;
  setup_failed.configs = {report::ConfigRecord{{}, "mkfs.xfs is not installed", {}}};
  EXPECT_EQ(MatrixExitStatus(setup_failed), 3);
}

}  // namespace
}  // namespace eofzero::suite
