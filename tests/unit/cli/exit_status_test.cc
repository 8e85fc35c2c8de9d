#include "cli/exit_status.h"

#include <gtest/gtest.h>

#include <csignal>
#include <vector>

namespace eofzero::cli {
namespace {

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

}  // namespace
}  // namespace eofzero::cli
