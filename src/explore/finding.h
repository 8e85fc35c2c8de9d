// What the explorer found (pure): a failing run's finding, and the
// signature findings are counted under. A signature is the configuration,
// the invariant broken (or the kind of finding when no invariant names it),
// before or after the crash, the operations of the reduced workload and the
// distance class of its last one: two workloads with one signature show one
// bug as far as the explorer can tell.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <vector>

#include "explore/space.h"
#include "oracles/verdict.h"

namespace eofzero::explore {

// The first finding of a FAIL: the first invariant the crash model saw
// broken (in kInvariants' order), else the verdict's first finding
// (oracles::Verdict::Primary: "gap", "size", "fsck", "views", "race"), with
// its phase. nullopt unless the verdict is a FAIL.
struct FindingKind {
  std::string kind;  // "invariant 'no stale bytes'", "gap", ...
  bool after_crash = true;
  auto operator<=>(const FindingKind&) const = default;
};
std::optional<FindingKind> PrimaryFinding(const oracles::Verdict& v);

struct Signature {
  std::string config;            // "xfs/4k"
  FindingKind finding;
  std::vector<std::string> ops;  // the operations' labels, in order
  std::string distance;          // the offset class of the last operation that has one
  auto operator<=>(const Signature&) const = default;
  // "xfs/4k: invariant 'no stale bytes' after the crash; pwrite O_DIRECT at next-block"
  std::string Text() const;
};
Signature SignatureOf(const std::string& config, const FindingKind& finding,
                      const std::vector<Concrete>& workload);

// The group a failing run is counted in before it is reduced: the
// signature of its last operation alone (the one the crash followed).
Signature GroupOf(const std::string& config, const FindingKind& finding,
                  const std::vector<Concrete>& workload);

}  // namespace eofzero::explore
