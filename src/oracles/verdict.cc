#include "oracles/verdict.h"

#include <algorithm>
#include <sstream>

namespace eofzero::oracles {

using engine::CaseRun;
using engine::RunStatus;

const char* OutcomeName(Outcome o) {
  switch (o) {
    case Outcome::kPass:
      return "PASS";
    case Outcome::kFail:
      return "FAIL";
    case Outcome::kSkip:
      return "SKIP";
    case Outcome::kError:
      return "ERROR";
  }
  return "?";
}

std::optional<Outcome> ParseOutcome(std::string_view name) {
  for (Outcome o : {Outcome::kPass, Outcome::kFail, Outcome::kSkip, Outcome::kError})
    if (name == OutcomeName(o)) return o;
  return std::nullopt;
}

std::vector<const OracleResult*> Verdict::Failing() const {
  std::vector<const OracleResult*> out;
  for (const auto& r : oracles)
    if (!r.finding.clean()) out.push_back(&r);
  return out;
}

bool Verdict::FsckFoundCorruption() const {
  for (const auto& f : fsck)
    if (f.verdict == FsckVerdict::kCorrupt) return true;
  return false;
}

std::vector<Invariant> Verdict::BrokenInvariants() const {
  std::vector<Invariant> out;
  for (Invariant i : kInvariants) {
    const bool broken =
        i == Invariant::kCleanMetadata
            ? model_judged && FsckFoundCorruptionOnDisk()
            : std::any_of(invariants.begin(), invariants.end(),
                          [i](const InvariantBreak& b) { return b.invariant == i; });
    if (broken) out.push_back(i);
  }
  return out;
}

std::optional<FindingKind> Verdict::Primary() const {
  if (outcome != Outcome::kFail) return std::nullopt;
  if (!BrokenInvariants().empty()) return FindingKind::kInvariant;
  for (FindingKind k : kinds)
    if (InfoOf(k).primary) return k;
  return std::nullopt;
}

std::vector<FindingKind> FindingKindsOf(const Verdict& v, const CaseRun& run) {
  // Stale bytes in the gap that the gap oracles saw too are their finding;
  // the crash model's own kind is for what only it sees.
  const bool beyond_gap =
      std::any_of(v.invariants.begin(), v.invariants.end(), [&](const InvariantBreak& b) {
        return b.invariant != Invariant::kNoStaleBytes || v.Failing().empty() ||
               b.offset < run.old_eof || b.offset >= run.eof_block + run.block_size;
      });
  std::vector<FindingKind> out;
  for (const auto& k : FindingKinds()) {
    bool has = false;
    switch (k.kind) {
      case FindingKind::kGap:
        has = !v.Failing().empty();
        break;
      case FindingKind::kSize:
        has = v.wrong_size.has_value();
        break;
      case FindingKind::kFsck:
        has = v.FsckFoundCorruptionOnDisk();
        break;
      case FindingKind::kDisagreement:
        has = !run.disagreements.empty();
        break;
      case FindingKind::kInvariant:
        has = beyond_gap;
        break;
      case FindingKind::kViews:
        has = v.views.has_value();
        break;
      case FindingKind::kRace:
        has = !run.race_findings.empty();
        break;
    }
    if (has) out.push_back(k.kind);
  }
  return out;
}

bool Verdict::FsckFoundCorruptionOnDisk() const {
  return FsckFoundCorruption() && (!views || views->DiskCorrupt());
}

namespace {

// The crash model's judgement of every view of the main file.
void JudgeInvariants(const CaseRun& run, std::uint64_t size_after, Verdict& v) {
  if (!run.history.complete) {
    v.model_not_judged = run.history.incomplete_reason;
    return;
  }
  const CrashModel model(run.history);
  v.model_judged = true;
  auto add = [&v](std::vector<InvariantBreak> found) {
    for (auto& b : found) v.invariants.push_back(std::move(b));
  };
  for (const auto& view : run.views) {
    const bool after = view.phase == engine::Phase::kAfterCrash;
    const bool device = view.oracle == engine::Oracle::kRawDevice ||
                        view.oracle == engine::Oracle::kOffline;
    const FileRead read{view.oracle,
                        view.phase,
                        device ? run.eof_block : view.base_offset,
                        view.bytes,
                        view.file_size.value_or(after ? size_after : 0),
                        view.events};
    if (!after)
      add(model.CheckBeforeCrash(read));
    else if (model.crashed())
      add(model.CheckAfterCrash(read));
  }
  if (!model.crashed()) return;
  // The read-back covers the EOF block too: what it finds there word for
  // word as an oracle's read of that block did is said once, as the
  // oracle's; the rest is labelled with the offsets it read.
  const std::size_t from_oracles = v.invariants.size();
  for (const auto& read : run.file_views) {
    for (auto& b : model.CheckAfterCrash(read)) {
      const auto said = std::find_if(
          v.invariants.begin(), v.invariants.begin() + from_oracles, [&](const InvariantBreak& o) {
            return o.invariant == b.invariant && o.oracle == b.oracle && o.phase == b.phase &&
                   o.offset == b.offset && o.count == b.count && o.evidence == b.evidence;
          });
      if (said != v.invariants.begin() + from_oracles) continue;
      b.read_back = ByteRange{read.file_offset, read.file_offset + read.bytes.size()};
      v.invariants.push_back(std::move(b));
    }
  }
  add(model.CheckSize(size_after));
  v.legal_sizes = model.LegalSizes();
  v.legal_size_ranges = model.LegalSizeRanges();
}

std::string InvariantSummary(const Verdict& v) {
  std::string s;
  for (Invariant i : v.BrokenInvariants()) {
    if (i == Invariant::kCleanMetadata) continue;  // said as "fsck found corruption"
    const auto b = std::find_if(v.invariants.begin(), v.invariants.end(),
                                [i](const InvariantBreak& x) { return x.invariant == i; });
    s += (s.empty() ? "" : "; ") + std::string("invariant '") + InvariantName(i) + "' " +
         InfoOf(FindingKind::kInvariant).phrase + " (" +
         engine::OracleName(b->oracle) + ", " + engine::PhaseName(b->phase) + ")";
  }
  return s;
}

std::string FailureSummary(const Verdict& v, const CaseRun& run) {
  std::ostringstream os;
  const auto failing = v.Failing();
  if (!failing.empty()) {
    os << "gap [" << run.old_eof << ", " << run.eof_block + run.block_size << ") "
       << InfoOf(FindingKind::kGap).phrase << ":";
    const char* sep = " ";
    for (const auto* r : failing) {
      os << sep << engine::OracleName(r->oracle) << " (" << engine::PhaseName(r->phase) << ")";
      sep = ", ";
    }
  }
  if (v.wrong_size) {
    if (!failing.empty()) os << "; ";
    os << "size " << engine::PhaseName(v.wrong_size->phase) << " " << v.wrong_size->observed
       << ", " << InfoOf(FindingKind::kSize).phrase << " " << v.wrong_size->expected;
  }
  if (v.FsckFoundCorruptionOnDisk()) {
    if (!failing.empty() || v.wrong_size) os << "; ";
    os << InfoOf(FindingKind::kFsck).phrase;
  }
  if (const std::string broken = InvariantSummary(v); !broken.empty()) {
    if (!failing.empty() || v.wrong_size || v.FsckFoundCorruptionOnDisk()) os << "; ";
    os << broken;
  }
  if (v.views) {
    if (!failing.empty() || v.wrong_size || v.FsckFoundCorruptionOnDisk() ||
        !v.invariants.empty())
      os << "; ";
    os << InfoOf(FindingKind::kViews).phrase << ": " << v.views->differences.front();
    if (v.views->differences.size() > 1)
      os << " (and " << v.views->differences.size() - 1 << " more)";
  }
  if (!run.race_findings.empty()) {
    if (!failing.empty() || v.wrong_size || v.FsckFoundCorruptionOnDisk() ||
        !v.invariants.empty() || v.views)
      os << "; ";
    os << InfoOf(FindingKind::kRace).phrase << ": " << run.race_findings.front();
    if (run.race_findings.size() > 1) os << " (and " << run.race_findings.size() - 1 << " more)";
  }
  return os.str();
}

// An fsck run that could not check (not a missing tool: that is a note).
const FsckResult* FsckThatFailed(const Verdict& v) {
  for (const auto& f : v.fsck)
    if (f.verdict == FsckVerdict::kToolError) return &f;
  return nullptr;
}

// The after-crash oracles that examined nothing (not applicable, or blind).
std::string MissingAfterCrash(const Verdict& v) {
  std::string missing;
  for (auto o : {engine::Oracle::kDirectRead, engine::Oracle::kMmap, engine::Oracle::kBufferedRead,
                 engine::Oracle::kRawDevice, engine::Oracle::kOffline}) {
    const bool seen = std::any_of(v.oracles.begin(), v.oracles.end(), [o](const OracleResult& r) {
      return r.oracle == o && r.phase == engine::Phase::kAfterCrash;
    });
    if (!seen) missing += (missing.empty() ? "" : ", ") + std::string(engine::OracleName(o));
  }
  return missing;
}

std::string Joined(const std::vector<std::string>& items) {
  std::string s;
  for (const auto& i : items) s += (s.empty() ? "" : "; ") + i;
  return s;
}

}  // namespace

Verdict Judge(const CaseRun& run) {
  Verdict v;
  if (run.status == RunStatus::kSkipped) {
    v.outcome = Outcome::kSkip;
    v.summary = run.reason;
    return v;
  }
  if (run.status == RunStatus::kError) {
    v.outcome = Outcome::kError;
    v.summary = run.reason;
    return v;
  }
  if (!run.plant || !run.plant->verified) {
    v.outcome = Outcome::kError;
    v.summary = "the sentinel was not planted and verified: nothing to judge";
    return v;
  }
  const engine::SizeCheck* last_after = nullptr;
  bool extension_lost = false;
  for (const auto& c : run.sizes) {
    const bool after = c.phase == engine::Phase::kAfterCrash;
    if (after) last_after = &c;
    if (c.observed == c.expected) continue;
    if (after && run.durable_size_at_crash && c.observed == *run.durable_size_at_crash) {
      extension_lost = true;
      continue;
    }
    if (!v.wrong_size) v.wrong_size = SizeFinding{c.phase, c.line, c.expected, c.observed};
  }
  // The size after the crash: the last `expect size`, else what the views saw.
  std::optional<std::uint64_t> size_after;
  if (last_after) size_after = last_after->observed;
  for (const auto& view : run.views)
    if (!size_after && view.phase == engine::Phase::kAfterCrash && view.file_size)
      size_after = view.file_size;
  if (!size_after) {
    v.outcome = Outcome::kError;
    v.summary = "the size after the crash was not observed";
    return v;
  }
  const std::uint64_t size = *size_after;
  JudgeInvariants(run, size, v);

  // Only bytes inside the file when the view was taken are judged: bytes past
  // EOF are the tool's own plant, which no operation has made file data yet
  // (or, after the crash, the extension did not persist).
  bool after_crash_looked = false;
  for (std::size_t i = 0; i < run.views.size(); ++i) {
    const auto& view = run.views[i];
    ByteRange gap = view.gap;
    const std::uint64_t view_size =
        view.file_size.value_or(view.phase == engine::Phase::kAfterCrash ? size : UINT64_MAX);
    if (view_size != UINT64_MAX)
      gap.end = std::min(gap.end, view_size > run.eof_block ? view_size - run.eof_block : 0);
    if (gap.size() == 0) continue;
    GapFinding f = CheckGap(view.bytes, gap, view.written);
    if (f.blind()) continue;
    after_crash_looked |= view.phase == engine::Phase::kAfterCrash;
    v.oracles.push_back({view.oracle, view.phase, std::move(f), i});
  }
  for (const auto& f : run.fsck)
    v.fsck.push_back(f.run ? ClassifyFsck(f.fs, *f.run)
                           : FsckNotRun(f.fs, f.not_run.value_or(os::Error{})));
  if (run.disk_views) v.views = CompareDiskViews(*run.disk_views);
  if (!v.Failing().empty() || v.wrong_size || v.FsckFoundCorruption() || v.views ||
      !v.invariants.empty() || !run.race_findings.empty()) {
    v.outcome = Outcome::kFail;
    v.kinds = FindingKindsOf(v, run);
    v.summary = FailureSummary(v, run);
    if (!run.disagreements.empty()) v.summary += "; and the views disagree: " + Joined(run.disagreements);
  } else if (!run.disagreements.empty()) {
    v.outcome = Outcome::kError;
    v.summary = std::string(InfoOf(FindingKind::kDisagreement).phrase) + ": " +
                Joined(run.disagreements);
  } else if (const FsckResult* broken = FsckThatFailed(v)) {
    v.outcome = Outcome::kError;
    v.summary = FsckProgramOf(broken->fs) + " could not check the filesystem: " +
                broken->reason;
  } else if (!after_crash_looked && (extension_lost || (v.model_judged && size <= run.old_eof))) {
    v.outcome = Outcome::kSkip;
    v.summary = "persistence not examined: the extension did not survive the crash (size " +
                std::to_string(size) +
                (extension_lost ? ", the last durable one, allowed without a log flush"
                                : ", which the crash model allows: " + v.legal_sizes) +
                "), so the gap stayed past EOF; " +
                std::to_string(v.oracles.size()) + " oracle reads before the crash saw a zero gap";
  } else if (!after_crash_looked) {
    v.outcome = Outcome::kError;
    v.summary = "no oracle examined the gap after the crash";
  } else {
    v.outcome = Outcome::kPass;
    v.summary = std::to_string(v.oracles.size()) + " oracle reads saw a zero gap; size " +
                std::to_string(size);
    if (extension_lost) v.summary += " (the last durable size: the rest was lost, as allowed)";
    if (v.model_judged && !v.legal_sizes.empty())
      v.summary += " (the crash model allows " + v.legal_sizes + "); 4 invariants hold";
    const std::string missing = MissingAfterCrash(v);
    if (!missing.empty()) v.summary += "; not examined after the crash: " + missing;
    for (const auto& f : v.fsck)
      v.summary += std::string("; ") + FsckProgramOf(f.fs) + " " + FsckVerdictName(f.verdict);
  }
  return v;
}

}  // namespace eofzero::oracles
