#include "explore/finding.h"

#include <fmt/format.h>

namespace eofzero::explore {

std::optional<FindingKind> PrimaryFinding(const oracles::Verdict& v) {
  if (v.outcome != oracles::Outcome::kFail) return std::nullopt;
  for (oracles::Invariant i : v.BrokenInvariants()) {
    bool after = true;
    for (const auto& b : v.invariants)
      if (b.invariant == i) {
        after = b.phase == engine::Phase::kAfterCrash;
        break;
      }
    return FindingKind{fmt::format("invariant '{}'", oracles::InvariantName(i)), after};
  }
  const auto primary = v.Primary();
  if (!primary) return std::nullopt;
  bool after = true;  // fsck, the two views and the race checks: after the crash
  if (*primary == oracles::FindingKind::kGap)
    after = v.Failing().front()->phase == engine::Phase::kAfterCrash;
  else if (*primary == oracles::FindingKind::kSize)
    after = v.wrong_size->phase == engine::Phase::kAfterCrash;
  return FindingKind{oracles::FindingKindName(*primary), after};
}

Signature SignatureOf(const std::string& config, const FindingKind& finding,
                      const std::vector<Concrete>& workload) {
  Signature s{config, finding, {}, "-"};
  for (const Concrete& c : workload) {
    s.ops.push_back(InfoOf(c.action.op).label);
    if (InfoOf(c.action.op).offset) s.distance = NameOf(c.action.offset);
  }
  return s;
}

Signature GroupOf(const std::string& config, const FindingKind& finding,
                  const std::vector<Concrete>& workload) {
  if (workload.empty()) return SignatureOf(config, finding, workload);
  return SignatureOf(config, finding, {workload.back()});
}

std::string Signature::Text() const {
  return fmt::format("{}: {} {} the crash; {}{}", config, finding.kind,
                     finding.after_crash ? "after" : "before", fmt::join(ops, ", "),
                     distance == "-" ? "" : " at " + distance);
}

}  // namespace eofzero::explore
