// `eofzero explore` (pure): which runs an exploration makes, and how its
// findings are counted. A run is a workload of the space (explore/space.h)
// crashed after its last operation in one crash mode, as a case
// (explore/workload.h); the exhaustive exploration to depth D runs every
// workload of 1 to D operations, so every crash point of every workload is
// run once (a crash after operation k of W is the run of W's first k
// operations). A sample draws N workloads of depth D and runs each at every
// crash point (its prefixes), each distinct run once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/case_spec.h"
#include "explore/finding.h"
#include "explore/space.h"
#include "explore/workload.h"
#include "fsdriver/registry.h"
#include "guest/kernel_spec.h"
#include "suite/explore_report.h"
#include "suite/sweep_plan.h"

namespace eofzero::suite {

inline constexpr int kMaxExploreDepth = 4;

struct ExploreOptions {
  explore::Bounds bounds = explore::DefaultBounds();
  std::vector<explore::CrashMode> crashes = {explore::CrashMode::kFreeze,
                                             explore::CrashMode::kLogflush,
                                             explore::CrashMode::kNologflush};
  int depth = 1;
  std::optional<std::uint64_t> sample;  // --sample N: N workloads of depth `depth`
  std::uint64_t seed = 0;
  int confirm = 3;                      // --confirm K: runs of each reduced finding
  bool count_only = false;              // --count: print the space's size and stop
  std::filesystem::path export_dir;     // --export DIR: each finding's case file
  std::filesystem::path emit_dir;       // --emit-cases DIR: every run's case file, nothing run
  std::filesystem::path results_file;   // --results FILE: a JSON line per run as it ends
  // --shard K/M: only the planned runs i (from 0, in the plan's order) with
  // i mod M = K-1; each shard reduces its own findings.
  std::optional<guest::Shard> shard;
  // --resume (with --results): the runs already in the results file are not
  // run again; their verdicts count and their failures group as if they
  // ran now, and the file is appended to.
  bool resume = false;
  // -j N: the planned runs in N worker processes (suite/explore_workers.h);
  // 1: all in this one.
  unsigned jobs = 1;
  // A worker of `explore -j N` (the hidden --worker-slice K/N): only the
  // K-th of N contiguous slices of the planned runs (after --shard); it runs
  // them and writes their lines into --results, and reduces nothing.
  std::optional<SweepSlice> worker;
  // The parent of `explore -j N`, after its workers: the results file
  // (with `resume`) holds their lines; a planned run none of them wrote is
  // not run but is an ERROR, "not run: " and workers_why[K-1] of the worker
  // K whose slice had it.
  std::vector<std::string> workers_why;
};

// What the classes are measured against on a filesystem of this kind and
// block size with this gap (the old EOF is bs - gap). Reflink is offered
// where the filesystem has it by default (xfs).
explore::Geometry GeometryFor(fsdriver::FsType fs, std::uint32_t block_size, std::uint32_t gap);

// The bounds less what the filesystem does not offer (reflink without it).
explore::Bounds BoundsFor(explore::Bounds bounds, const explore::Geometry& g);

// The runs of an exploration, in order, each distinct run once; with a
// shard, its runs only (every M-th, from the K-th): the shards 1/M ... M/M
// are every run once, and a sample with one seed splits the same way. A
// worker's are its contiguous slice of those (SliceRange).
std::vector<explore::Run> PlanRuns(const ExploreOptions& options, explore::Space& space);

// The worker (1 .. n) whose slice of `total` planned runs has run `index`
// (from 0): the K with index in SliceRange(total, K/n).
std::size_t WorkerOfRun(std::size_t total, std::size_t n, std::size_t index);

// A run as a case the engine runs (the case language's own parser reads
// the text CaseText wrote), or why it could not be made (a defect: every
// workload of the space is a valid case).
struct PlannedCase {
  explore::Run run;
  std::string text;
  engine::CaseSpec spec;
};
std::expected<PlannedCase, std::string> CaseOf(const explore::Run& run, const explore::Geometry& g,
                                               const std::string& suffix = "");

// The failing runs of one configuration, by group (the signature of the last
// operation alone, explore/finding.h): how many runs showed it and the
// first one, which the reducer starts from.
struct FindingGroup {
  explore::Signature group;
  std::uint64_t runs = 0;
  explore::Run first;
  std::size_t first_order = 0;
};
class FindingGroups {
 public:
  // Counts `run` when `verdict` is a FAIL.
  void Add(const std::string& config, const explore::Run& run, const oracles::Verdict& verdict);
  // Counts a run that showed `finding` (a FAIL's; nullopt: it did not fail).
  // The group's first run is the one of the smallest `order` (its place in
  // the plan), whatever order they are added in.
  void Add(const std::string& config, const explore::Run& run,
           const std::optional<explore::FindingKind>& finding, std::size_t order);
  const std::map<explore::Signature, FindingGroup>& groups() const { return groups_; }

 private:
  std::map<explore::Signature, FindingGroup> groups_;
  std::size_t added_ = 0;
};

// A reduced finding, as the report shows it.
struct Finding {
  explore::Signature signature;
  std::uint64_t runs = 0;          // runs of the exploration its groups counted
  explore::Run reduced;            // the minimal run that still shows it
  std::string reduced_name;        // its case name
  int confirmed = 0, confirm = 0;  // it showed in `confirmed` of `confirm` reruns
  double reduce_seconds = 0;
  std::vector<std::string> covered_by;  // catalog cases of the same shape
  std::string case_text;                // the reduced run's case file
};

// Findings with one signature are one row: their run counts add up, the
// first reduced one stands for them.
std::vector<Finding> MergeBySignature(std::vector<Finding> findings);

// The catalog cases whose workload has the finding's shape and crash: the
// same operations, the last at the same distance class, crashed in the same
// mode (a case that crashes otherwise does not show what the finding shows).
struct CatalogShape {
  std::string case_name;
  std::vector<std::string> ops;
  std::string distance;
  std::string crash;  // a crash mode's name
};
std::vector<std::string> CoveredBy(const explore::Signature& s, explore::CrashMode crash,
                                   const std::vector<CatalogShape>& catalog);

// The finding as the report's row (suite/explore_report.h).
FindingRow RowOf(const Finding& f);

}  // namespace eofzero::suite
