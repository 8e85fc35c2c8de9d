#include "suite/sweep_shards.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <variant>

#include "report/json_report.h"
#include "fsdriver/registry.h"
#include "suite/exit_status.h"
#include "suite/matrix_merge.h"
#include "suite/worker_pool.h"

namespace eofzero::suite {
namespace {

// Where a configuration comes in a run of `options`: its filesystem's place
// in --fs, then its block size.
std::pair<std::size_t, std::uint32_t> SlicePlace(const report::ConfigInfo& c, const RunOptions& options) {
  std::size_t fs = options.filesystems.size();
  for (std::size_t i = 0; i < options.filesystems.size(); ++i)
    if (c.fs == fsdriver::FsTypeName(options.filesystems[i])) fs = i;
  return {fs, c.block_size};
}

// A tuple its worker did not report on.
report::CaseRecord SliceNotRun(const Variant& v, const std::string& why) {
  report::CaseRecord r;
  r.case_name = v.spec.name;
  r.case_file = v.spec.source;
  r.outcome = oracles::Outcome::kError;
  r.not_run = true;
  r.summary = "not run: " + why;
  r.reason = r.summary;
  return r;
}

}  // namespace

std::pair<std::size_t, std::size_t> SliceRange(std::size_t total, const SweepSlice& slice) {
  const std::size_t n = std::max<std::size_t>(slice.count, 1);
  const std::size_t k = std::clamp<std::size_t>(slice.index, 1, n) - 1;
  const std::size_t base = total / n, extra = total % n;
  const std::size_t first = k * base + std::min(k, extra);
  return {first, first + base + (k < extra ? 1 : 0)};
}

std::vector<report::ConfigRecord> JoinSlices(const std::vector<SliceReport>& slices,
                                             const std::vector<Variant>& variants,
                                             const RunOptions& options) {
  std::vector<report::ConfigRecord> joined;
  auto config = [&](const report::ConfigInfo& info) -> report::ConfigRecord& {
    for (auto& c : joined)
      if (c.config.Label() == info.Label()) return c;
    joined.push_back({info, "", {}});
    return joined.back();
  };
  for (std::size_t k = 0; k < slices.size(); ++k) {
    const SliceReport& slice = slices[k];
    if (slice.record) {
      for (const auto& c : slice.record->configs) {
        auto& into = config(c.config);
        if (!c.setup_error.empty() && into.setup_error.find(c.setup_error) == std::string::npos)
          into.setup_error += (into.setup_error.empty() ? "" : "; ") + c.setup_error;
        into.cases.insert(into.cases.end(), c.cases.begin(), c.cases.end());
      }
      continue;
    }
    const auto [first, last] = SliceRange(variants.size(), {k + 1, slices.size()});
    for (auto fs : options.filesystems) {
      const std::string name(fsdriver::FsTypeName(fs));
      for (std::size_t i = first; i < last; ++i) {
        const auto& spec = variants[i].spec;
        if (!spec.filesystems.empty() && std::ranges::find(spec.filesystems, fs) == spec.filesystems.end())
          continue;
        report::ConfigInfo info{name, spec.block_size.value_or(options.block_size), "",
                                options.mount_options, "-", options.config_name};
        auto& into = config(info);
        if (into.setup_error.find(slice.why_none) == std::string::npos)
          into.setup_error += (into.setup_error.empty() ? "" : "; ") + slice.why_none;
        into.cases.push_back(SliceNotRun(variants[i], slice.why_none));
      }
    }
  }
  std::ranges::stable_sort(joined, {}, [&](const report::ConfigRecord& c) {
    return SlicePlace(c.config, options);
  });
  return joined;
}

std::vector<SliceReport> RunSweepSlices(const std::filesystem::path& program,
                                        const std::vector<std::string>& args, std::size_t slices,
                                        const std::filesystem::path& dir, WorkerLauncher& launcher,
                                        Clock& clock, const InterruptPoll& interrupt,
                                        std::chrono::seconds grace) {
  std::vector<PoolCommand> commands;
  auto json = [&](std::size_t k) { return dir / fmt::format("slice-{}.json", k); };
  auto log = [&](std::size_t k) { return dir / fmt::format("slice-{}.log", k); };
  for (std::size_t k = 1; k <= slices; ++k) {
    PoolCommand c{{program.string()}, log(k)};
    c.argv.insert(c.argv.end(), args.begin(), args.end());
    c.argv.push_back(fmt::format("--worker-slice={}/{}", k, slices));
    c.argv.push_back("--worker-output=" + json(k).string());
    spdlog::info("sweep: starting slice {}/{}: {}", k, slices, fmt::join(c.argv, " "));
    commands.push_back(std::move(c));
  }
  PoolConfig pool;
  pool.parallel = static_cast<unsigned>(slices);
  pool.grace = grace;
  const auto outcomes = RunWorkers(commands, pool, launcher, clock, interrupt);
  std::vector<SliceReport> reports;
  for (std::size_t k = 1; k <= slices; ++k) {
    const auto& outcome = outcomes[k - 1];
    SliceReport r;
    if (const auto* failed = std::get_if<StartFailure>(&outcome)) {
      r.why_none = "the worker did not start: " + failed->error.Message();
    } else if (const auto* cancelled = std::get_if<Cancellation>(&outcome)) {
      r.why_none = report::Interruption(cancelled->signal);
    } else {
      const auto& ending = std::get<WorkerEnding>(outcome);
      auto loaded = report::LoadJsonReport(json(k));
      // A worker that finished exits 0 or 1, or 128+N when it was stopped.
      const int code = ending.result.exit_code;
      const bool finished = code == kExitPass || code == kExitFail || code == kExitToolError ||
                            (code > 128 && ending.interrupted_by);
      if (loaded && finished) {
        r.record = std::move(*loaded);
      } else if (ending.interrupted_by && ending.result.term_signal == SIGTERM) {
        r.why_none = report::Interruption(ending.interrupted_by);
      } else {
        r.why_none = "the worker " + ending.result.Ending() +
                     (loaded ? "" : " and it wrote no report") + ", its last lines: " +
                     LogTail(log(k), 3);
      }
    }
    reports.push_back(std::move(r));
  }
  return reports;
}

std::vector<oracles::Outcome> Outcomes(const std::vector<report::ConfigRecord>& configs) {
  std::vector<oracles::Outcome> out;
  for (const auto& c : configs)
    for (const auto& r : c.cases) out.push_back(r.outcome);
  return out;
}

}  // namespace eofzero::suite
