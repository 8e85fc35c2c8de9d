// `eofzero sweep`'s own options.
#include <algorithm>
#include <charconv>
#include <iterator>

#include "cli/raw_options.h"
#include "cli/validate.h"

namespace eofzero::cli {
std::expected<std::vector<std::string>, std::string> KnownNames(
    const std::vector<std::string>& given, std::span<const char* const> known, const char* flag) {
  if (given.empty()) return std::vector<std::string>(known.begin(), known.end());
  std::vector<std::string> out;
  for (const auto& name : given) {
    if (std::find_if(known.begin(), known.end(), [&](const char* k) { return name == k; }) ==
        known.end()) {
      std::string all;
      for (const char* k : known) all += (all.empty() ? "" : ", ") + std::string(k);
      return std::unexpected(std::string(flag) + ": '" + name + "' is not one of " + all);
    }
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

std::expected<std::uint64_t, std::string> NumberIn(const std::string& text, const char* flag,
                                                   std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < lo || v > hi)
    return std::unexpected(std::string(flag) + ": '" + text + "' is not a number from " +
                           std::to_string(lo) + " to " + std::to_string(hi));
  return v;
}

std::expected<suite::SweepOptions, std::string> ValidateSweepOptions(const RawOptions& raw) {
  suite::SweepOptions o;
  auto primitives = KnownNames(raw.sweep_sync, suite::kPrimitives, "--sync");
  if (!primitives) return std::unexpected(primitives.error());
  o.primitives = *primitives;
  auto crashes = KnownNames(raw.sweep_crash, suite::kCrashModes, "--crash");
  if (!crashes) return std::unexpected(crashes.error());
  o.crashes = *crashes;
  auto distances = KnownNames(raw.sweep_distance, suite::kDistances, "--distance");
  if (!distances) return std::unexpected(distances.error());
  o.distances = *distances;
  if (raw.sweep_points == "all") {
    o.all_points = true;
  } else if (raw.sweep_points != "last") {
    auto line = NumberIn(raw.sweep_points, "--points", 1, 1 << 20);
    if (!line) return std::unexpected("--points: '" + raw.sweep_points + "' is not all, last or a line number");
    o.only_point = static_cast<int>(*line);
  }
  auto iterations = NumberIn(raw.sweep_iterations, "--iterations", 1, 1000);
  if (!iterations) return std::unexpected(iterations.error());
  o.iterations = static_cast<int>(*iterations);
  auto seed = NumberIn(raw.sweep_seed, "--seed", 0, UINT64_MAX);
  if (!seed) return std::unexpected(seed.error());
  o.seed = *seed;
  if (raw.jobs_given) {
    auto jobs = ParseU32("-j", raw.jobs);
    if (!jobs) return std::unexpected(jobs.error());
    if (*jobs < 1 || *jobs > 64) return std::unexpected("-j: must be 1 to 64");
    o.jobs = *jobs;
  }
  if (o.jobs > 1 && raw.format == "fstests")
    return std::unexpected("-j: --format fstests streams from one process: -j 1 with it");
  if (!raw.sweep_worker_slice.empty()) {
    const auto& text = raw.sweep_worker_slice;
    const auto slash = text.find('/');
    auto k = NumberIn(text.substr(0, slash), "--worker-slice", 1, 64);
    auto n = NumberIn(slash == std::string::npos ? "" : text.substr(slash + 1), "--worker-slice",
                      1, 64);
    if (!k || !n || *k > *n || raw.sweep_worker_output.empty())
      return std::unexpected("--worker-slice: '" + text + "' is not K/N with --worker-output");
    o.worker = suite::SweepSlice{*k, *n};
    o.worker_output = raw.sweep_worker_output;
  }
  return o;
}

}  // namespace eofzero::cli
