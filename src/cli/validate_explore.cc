// `eofzero explore`'s own options.
#include <algorithm>
#include <tuple>

#include "cli/raw_options.h"
#include "cli/validate.h"
#include "explore/space.h"
#include "explore/workload.h"
#include "os/file_io.h"
#include "os/user_files.h"
#include "suite/explore_results.h"

namespace eofzero::cli {
namespace {

// The classes named by `given` (all when none is), in the table's order.
template <typename T>
std::expected<std::vector<T>, std::string> Classes(const std::vector<std::string>& given,
                                                   std::span<const char* const> names,
                                                   const char* flag) {
  auto known = KnownNames(given, names, flag);
  if (!known) return std::unexpected(known.error());
  std::vector<T> out;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (std::find(known->begin(), known->end(), names[i]) != known->end())
      out.push_back(static_cast<T>(i));
  return out;
}

}  // namespace

std::expected<suite::ExploreOptions, std::string> ValidateExploreOptions(const RawOptions& raw) {
  suite::ExploreOptions o;
  if (raw.format == "junit")
    return std::unexpected("--format: junit is not a format of explore (json, human, markdown)");
  std::vector<const char*> families;
  for (const auto& op : explore::Ops())
    if (std::find_if(families.begin(), families.end(),
                     [&](const char* f) { return std::string_view(f) == op.family; }) ==
        families.end())
      families.push_back(op.family);
  auto ops = KnownNames(raw.explore_ops, families, "--ops");
  if (!ops) return std::unexpected(ops.error());
  o.bounds.ops.clear();
  for (const auto& op : explore::Ops())
    if (std::find(ops->begin(), ops->end(), op.family) != ops->end()) o.bounds.ops.push_back(op.op);
  auto offsets = Classes<explore::Offset>(raw.explore_offsets, explore::OffsetNames(), "--offsets");
  if (!offsets) return std::unexpected(offsets.error());
  o.bounds.offsets = *offsets;
  auto lengths = Classes<explore::Length>(raw.explore_lengths, explore::LengthNames(), "--lengths");
  if (!lengths) return std::unexpected(lengths.error());
  o.bounds.lengths = *lengths;
  auto persists =
      Classes<explore::Persist>(raw.explore_persist, explore::PersistNames(), "--persist");
  if (!persists) return std::unexpected(persists.error());
  o.bounds.persists = *persists;
  auto crashes = Classes<explore::CrashMode>(raw.sweep_crash, explore::CrashModeNames(), "--crash");
  if (!crashes) return std::unexpected(crashes.error());
  o.crashes = *crashes;
  auto depth = NumberIn(raw.explore_depth, "--depth", 1, suite::kMaxExploreDepth);
  if (!depth) return std::unexpected(depth.error());
  o.depth = static_cast<int>(*depth);
  if (!raw.explore_sample.empty()) {
    auto sample = NumberIn(raw.explore_sample, "--sample", 1, 1'000'000);
    if (!sample) return std::unexpected(sample.error());
    o.sample = *sample;
  }
  auto seed = NumberIn(raw.sweep_seed, "--seed", 0, UINT64_MAX);
  if (!seed) return std::unexpected(seed.error());
  o.seed = *seed;
  auto confirm = NumberIn(raw.explore_confirm, "--confirm", 0, 100);
  if (!confirm) return std::unexpected(confirm.error());
  o.confirm = static_cast<int>(*confirm);
  o.count_only = raw.explore_count;
  if (!raw.shard.empty()) {
    auto shard = guest::ParseShard(raw.shard);
    if (!shard) return std::unexpected(shard.error());
    o.shard = *shard;
  }
  if (!raw.explore_export.empty() && !raw.explore_emit.empty())
    return std::unexpected("--export: nothing is reduced with --emit-cases");
  for (auto [flag, given, dir] :
       {std::tuple{"--export", &raw.explore_export, &o.export_dir},
        std::tuple{"--emit-cases", &raw.explore_emit, &o.emit_dir}}) {
    if (given->empty()) continue;
    if (raw.explore_count) return std::unexpected(std::string(flag) + ": nothing is written with --count");
    const std::filesystem::path path(*given);
    std::error_code ec;
    const auto parent = std::filesystem::absolute(path, ec).parent_path();
    if (!std::filesystem::is_directory(parent, ec))
      return std::unexpected(std::string(flag) + ": " + parent.string() + " is not a directory");
    if (std::filesystem::exists(std::filesystem::symlink_status(path, ec)) &&
        !std::filesystem::is_directory(path, ec))
      return std::unexpected(std::string(flag) + ": " + path.string() + " is not a directory");
    *dir = path;
  }
  if (!raw.kernels.empty())
    for (auto [flag, given] : {std::pair{"--export", !raw.explore_export.empty()},
                               std::pair{"--emit-cases", !raw.explore_emit.empty()},
                               std::pair{"--results", !raw.explore_results.empty()},
                               std::pair{"--inject-fault", !raw.faults.empty()}})
      if (given)
        return std::unexpected(std::string("--kernel: ") + flag +
                               " is not offered with it (the guests give verdicts only)");
  if (!raw.explore_results.empty()) {
    if (auto ok = os::CheckOutputFile(raw.explore_results); !ok)
      return std::unexpected("--results: " + ok.error().Message());
    o.results_file = raw.explore_results;
  }
  if (raw.explore_resume) {
    if (o.results_file.empty()) return std::unexpected("--resume: needs --results FILE");
    std::error_code ec;
    if (std::filesystem::exists(o.results_file, ec)) {
      auto text = os::ReadRegularFile(o.results_file, 1ull << 30);
      if (!text) return std::unexpected("--resume: " + text.error().Message());
      if (auto parsed = suite::ParseResults(*text); !parsed)
        return std::unexpected("--resume: " + o.results_file.string() + ": " + parsed.error());
    }
    o.resume = true;
  }
  if (raw.jobs_given) {
    auto jobs = ParseU32("-j", raw.jobs);
    if (!jobs) return std::unexpected(jobs.error());
    if (*jobs < 1 || *jobs > 64) return std::unexpected("-j: must be 1 to 64");
    o.jobs = *jobs;
  }
  if (o.jobs > 1 && o.resume) return std::unexpected("-j: not with --resume (yet)");
  if (!raw.sweep_worker_slice.empty()) {
    const auto& text = raw.sweep_worker_slice;
    const auto slash = text.find('/');
    auto k = NumberIn(text.substr(0, slash), "--worker-slice", 1, 64);
    auto n = NumberIn(slash == std::string::npos ? "" : text.substr(slash + 1), "--worker-slice",
                      1, 64);
    if (!k || !n || *k > *n || o.results_file.empty())
      return std::unexpected("--worker-slice: '" + text + "' is not K/N with --results");
    o.worker = suite::SweepSlice{*k, *n};
  }
  return o;
}

}  // namespace eofzero::cli
