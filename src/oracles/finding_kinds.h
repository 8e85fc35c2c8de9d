// The kinds of finding a FAIL can have (pure): one table, read by the verdict
// (which kinds a run shows, the words its summary uses), the record and its
// JSON ("findings"), a matrix's expected failures (report/standing.h), the
// sweep table's letters and legend (report/sweep_table.h), the explorer's
// signature (explore/finding.h) and the self-test, whose control named here
// makes the kind show (suite/selftest.cc).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace eofzero::oracles {

// In the order a record lists them.
enum class FindingKind {
  kGap,           // an oracle saw non-zero bytes in the gap that the case did not write
  kSize,          // an `expect size` did not hold
  kFsck,          // fsck found corruption on the disk after the crash
  kDisagreement,  // independent views of one fact disagree (beside another finding)
  kInvariant,     // the crash model saw an invariant broken beyond the gap oracles' finding
  kViews,         // the block device's cache disagrees with the disk after recovery
  kRace,          // a race step's check found a byte its threads did not leave there
};

struct FindingKindInfo {
  FindingKind kind;
  const char* name;    // in the JSON's "findings" and a matrix's `findings = [...]`
  char letter;         // a sweep table cell's, when no invariant is named first
  const char* legend;  // the sweep table's legend: "G gap"
  const char* phrase;  // how the verdict's summary says it
  // Whether it can be a FAIL's first finding (a disagreement alone is an ERROR).
  bool primary;
  const char* control;  // the self-test control that makes it show (suite/selftest.cc)
};

// Every kind, in FindingKind's order.
std::span<const FindingKindInfo> FindingKinds();
const FindingKindInfo& InfoOf(FindingKind kind);
const char* FindingKindName(FindingKind kind);  // "gap", ...
std::optional<FindingKind> ParseFindingKind(std::string_view name);
// "gap, size, fsck, disagreement, invariant, views, race"
std::string FindingKindNames();

}  // namespace eofzero::oracles
