// Verdicts (pure): from what a case run observed to pass / fail / skip / error.
//  - error: the run could not set itself up or verify its plant, or no oracle
//    examined the gap: never counted as a pass or a fail;
//  - skip: the case does not apply (unsupported operation, unplantable extent,
//    or an extension that a crash without a log flush was allowed to lose);
//  - fail: an oracle saw a non-zero byte in the gap that the case did not
//    write itself (after the crash: inside the file), or a size is not the
//    one an `expect size` step expected;
//    or fsck found the filesystem corrupt after the crash;
//    or the block device's cache disagrees with the disk after recovery
//    (oracles/disk_views.h: the two views' fsck, offline reading or
//    metadata differ);
//    or a race step's check found a byte its threads did not leave there
//    (CaseRun::race_findings);
//  - error, too: independent views disagree (FIEMAP against the offline
//    block map, stat against the on-disk size) and nothing failed;
//  - pass: the plant was verified, every oracle saw a zero gap, and the
//    views agree.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/observations.h"
#include "oracles/disk_views.h"
#include "oracles/finding_kinds.h"
#include "oracles/fsck_result.h"
#include "oracles/gap_check.h"
#include "oracles/invariants.h"

namespace eofzero::oracles {

enum class Outcome { kPass, kFail, kSkip, kError };
const char* OutcomeName(Outcome o);  // "PASS", "FAIL", "SKIP", "ERROR"
std::optional<Outcome> ParseOutcome(std::string_view name);  // OutcomeName's inverse

struct OracleResult {
  engine::Oracle oracle;
  engine::Phase phase;
  GapFinding finding;
  std::size_t view_index;  // into CaseRun::views, for the evidence
};

struct SizeFinding {
  engine::Phase phase;
  int line;  // of the `expect size` step
  std::uint64_t expected;
  std::uint64_t observed;
};

struct Verdict {
  Outcome outcome = Outcome::kError;
  std::string summary;                // one line
  std::vector<OracleResult> oracles;  // every view that was examined
  std::optional<SizeFinding> wrong_size;
  std::vector<FsckResult> fsck;  // each fsck run after a crash, classified
  // The crash model (oracles/invariants.h): whether it judged the run (a
  // step it cannot follow leaves it out, with the reason), every invariant
  // a view broke, and the sizes it allowed after the crash.
  bool model_judged = false;
  std::string model_not_judged;
  std::vector<InvariantBreak> invariants;
  std::string legal_sizes;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> legal_size_ranges;  // closed, merged

  // The invariants broken, each once, in kInvariants' order.
  std::vector<Invariant> BrokenInvariants() const;
  // The two views of the disk after recovery disagree (nullopt: they agree,
  // or there was no disk view).
  std::optional<DiskViewsDisagreement> views;

  bool FsckFoundCorruption() const;
  // fsck's corruption is the disk's, not only the block device cache's
  // version of it (which `views` reports).
  bool FsckFoundCorruptionOnDisk() const;

  std::vector<const OracleResult*> Failing() const;

  // Of a FAIL: every kind of finding it has, each once, in FindingKind's
  // order (oracles/finding_kinds.h); empty otherwise.
  std::vector<FindingKind> kinds;
  // Its first finding: the crash model's when it saw an invariant broken,
  // else the first of `kinds` that can stand alone. nullopt unless a FAIL.
  std::optional<FindingKind> Primary() const;
};

// The kinds of finding `v` (judged from `run`) has, whatever its outcome.
std::vector<FindingKind> FindingKindsOf(const Verdict& v, const engine::CaseRun& run);

Verdict Judge(const engine::CaseRun& run);

}  // namespace eofzero::oracles
