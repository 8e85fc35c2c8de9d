// The finding kinds' table, walked: every kind named once, lettered once,
// and shown able to appear by a control the self-test runs.
#include "oracles/finding_kinds.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "oracles/invariants.h"
#include "report/standing.h"
#include "suite/selftest.h"

namespace eofzero::oracles {
namespace {

TEST(FindingKinds, EachHasItsOwnNameLetterAndASelftestControlThatRuns) {
  const auto controls = suite::SelftestControls();
  std::set<std::string> names;
  std::set<char> letters;
  for (Invariant i : kInvariants) letters.insert(InvariantLetter(i));
  ASSERT_EQ(letters.size(), std::size(kInvariants));
  int i = 0;
  for (const auto& k : FindingKinds()) {
    SCOPED_TRACE(k.name);
    EXPECT_EQ(static_cast<int>(k.kind), i++) << "the table is in FindingKind's order";
    EXPECT_EQ(&InfoOf(k.kind), &k);
    EXPECT_TRUE(names.insert(k.name).second) << "a name used twice";
    EXPECT_TRUE(letters.insert(k.letter).second) << "a letter used twice (or an invariant's)";
    EXPECT_FALSE(std::string(".sE-").contains(k.letter)) << "a letter the sweep table uses";
    EXPECT_EQ(ParseFindingKind(k.name), k.kind);
    EXPECT_TRUE(report::IsFindingKind(k.name));
    EXPECT_NE(std::string(k.phrase), "");
    EXPECT_NE(std::string(k.legend), "");
    // A disagreement of independent views is never a FAIL alone (an ERROR:
    // a human must say whose bug it is), and no fault makes one yet.
    if (k.kind == FindingKind::kDisagreement) {
      EXPECT_EQ(k.control, nullptr);
      EXPECT_FALSE(k.primary);
      continue;
    }
    ASSERT_NE(k.control, nullptr);
    EXPECT_NE(std::find(controls.begin(), controls.end(), k.control), controls.end())
        << k.control << " is not a control the self-test runs";
  }
  EXPECT_FALSE(ParseFindingKind("stale"));
  EXPECT_EQ(FindingKindNames(), "gap, size, fsck, disagreement, invariant, views, race");
}

}  // namespace
}  // namespace eofzero::oracles
