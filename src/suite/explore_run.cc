#include "suite/explore_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <functional>
#include <map>

#include "engine/case_check.h"
#include "engine/faults.h"
#include "explore/classify.h"
#include "explore/export_input.h"
#include "report/record.h"
#include "explore/reduce.h"
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "os/file_io.h"
#include "os/process.h"
#include "report/tool_version.h"
#include "os/interrupt.h"
#include "os/user_files.h"
#include "suite/clock.h"
#include "suite/exit_status.h"
#include "suite/explore_results.h"
#include "suite/run_suite.h"

namespace eofzero::suite {
namespace {

constexpr std::size_t kProblemsKept = 5;

// The options as the report has them: two shards of one exploration have
// the same ones but for "shard".
nlohmann::ordered_json OptionsJson(const RunOptions& run, const ExploreOptions& o) {
  std::vector<std::string> ops, offsets, lengths, persist, crash, fs;
  for (const auto& info : explore::Ops())
    if (std::find(o.bounds.ops.begin(), o.bounds.ops.end(), info.op) != o.bounds.ops.end() &&
        std::find(ops.begin(), ops.end(), info.family) == ops.end())
      ops.push_back(info.family);
  for (auto v : o.bounds.offsets) offsets.push_back(explore::NameOf(v));
  for (auto v : o.bounds.lengths) lengths.push_back(explore::NameOf(v));
  for (auto v : o.bounds.persists) persist.push_back(explore::NameOf(v));
  for (auto v : o.crashes) crash.push_back(explore::NameOf(v));
  for (auto v : run.filesystems) fs.emplace_back(fsdriver::FsTypeName(v));
  nlohmann::ordered_json j = {{"depth", o.depth},     {"ops", ops},       {"offsets", offsets},
                              {"lengths", lengths},   {"persist", persist}, {"crash", crash},
                              {"sample", nullptr},    {"seed", o.seed},   {"confirm", o.confirm},
                              {"shard", nullptr}};
  if (o.sample) j["sample"] = *o.sample;
  if (o.shard) j["shard"] = {{"index", o.shard->index}, {"count", o.shard->count}};
  j["fs"] = fs;
  j["block_size"] = run.block_size;
  j["gap"] = run.scenario.gap_bytes;
  j["mkfs_options"] = run.mkfs_options;
  j["mount_options"] = run.mount_options;
  if (!run.scenario.faults.empty()) {
    std::vector<std::string> faults;
    for (auto f : run.scenario.faults) faults.push_back(engine::FaultName(f));
    j["inject_fault"] = faults;
  }
  return j;
}

double SecondsSince(Clock::TimePoint start) {
  return SecondsBetween(start, std::chrono::steady_clock::now());
}

// --results FILE: one JSON object a line (suite/explore_results.h),
// appended as each run ends.
class ResultsLog {
 public:
  // Emptied, or with `resume` kept: the runs it holds are read, and a last
  // line cut short is dropped (the next line goes where it began).
  std::expected<std::vector<LoggedRun>, std::string> Open(const std::filesystem::path& file,
                                                          bool resume) {
    if (file.empty()) return {};
    auto fd = os::OpenOutputFile(file);
    if (!fd) return std::unexpected(fd.error().Message());
    fd_ = std::move(*fd);
    file_ = file.string();
    ResultsFile earlier;
    if (resume) {
      auto text = os::ReadRegularFile(file, kMaxResultsBytes);
      if (!text) return std::unexpected(text.error().Message());
      auto parsed = ParseResults(*text);
      if (!parsed) return std::unexpected("--resume: " + file_ + ": " + parsed.error());
      earlier = std::move(*parsed);
    }
    if (auto st = os::Truncate(fd_.get(), earlier.good_bytes, file_); !st)
      return std::unexpected(st.error().Message());
    offset_ = earlier.good_bytes;
    return std::move(earlier.runs);
  }
  os::Status Append(const LoggedRun& run) {
    if (!fd_.valid()) return {};
    const std::string text = ResultsLine(run).dump() + "\n";
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    EOFZERO_RETURN_IF_ERROR(os::WriteAll(fd_.get(), {bytes, text.size()}, offset_, file_));
    offset_ += text.size();
    lines_ += 1;
    // A test holds the run here (EOFZERO_TEST_HOLD) to stop it after K runs.
    spdlog::debug("explore: results line {} written", lines_);
    return {};
  }

 private:
  static constexpr std::uint64_t kMaxResultsBytes = 1ull << 30;
  os::UniqueFd fd_;
  std::string file_;
  std::uint64_t offset_ = 0;
  std::uint64_t lines_ = 0;
};

// The runs of an earlier exploration, by configuration and case name.
using Earlier = std::map<std::pair<std::string, std::string>, LoggedRun>;

// Hands each case's verdict on, by the case's name; a configuration that
// could not be made is kept.
class Collector : public report::Reporter {
 public:
  using Done = std::function<void(const report::ConfigInfo&, const engine::CaseRun& run,
                                  const oracles::Verdict&)>;
  explicit Collector(Done done) : done_(std::move(done)) {}
  void RunStarted(const std::string&) override {}
  void ConfigReady(const report::ConfigInfo& c) override { config_ = c; }
  void ConfigFailed(const report::ConfigInfo& c, const std::string& error) override {
    config_error_ = c.Short() + ": " + error;
  }
  void CaseDone(const report::ConfigInfo& c, const report::CaseResult& result) override {
    done_(c, result.run(), result.verdict());
  }
  void Finish(double) override {}
  const std::string& config_error() const { return config_error_; }
  const report::ConfigInfo& config() const { return config_; }

 private:
  Done done_;
  std::string config_error_;
  report::ConfigInfo config_;
};

// One configuration's exploration.
class ConfigExploration {
 public:
  ConfigExploration(const RunOptions& run, const ExploreOptions& options, fsdriver::FsType fs,
                    std::ostream& out, ResultsLog& log, const Earlier& earlier,
                    ExploreResult& result)
      : log_(log),
        earlier_(earlier),
        run_(run),
        options_(options),
        geometry_(GeometryFor(fs, run.block_size, run.scenario.gap_bytes)),
        out_(out),
        result_(result) {
    run_.filesystems = {fs};
    bounds_ = BoundsFor(options.bounds, geometry_);
  }

  void Explore(const std::vector<const engine::CaseSpec*>& catalog) {
    explore::Space space(bounds_, geometry_);
    const std::vector<explore::Run> runs = PlanRuns(options_, space);
    std::map<std::string, const explore::Run*> by_name;
    std::vector<PlannedCase> cases;
    cases.reserve(runs.size());
    for (const auto& r : runs) {
      auto planned = CaseOf(r, geometry_);
      if (!planned) {
        Problem(planned.error());
        continue;
      }
      cases.push_back(std::move(*planned));
    }
    std::map<std::string, std::size_t> order;  // case name -> its place in the plan
    for (std::size_t i = 0; i < cases.size(); ++i) {
      by_name[cases[i].spec.name] = &cases[i].run;
      order[cases[i].spec.name] = i;
    }
    const auto start = std::chrono::steady_clock::now();
    FindingGroups groups;
    std::string label;
    // The runs the results file already has are counted and grouped, not run.
    std::vector<PlannedCase> to_run;
    std::size_t resumed = 0;
    // After `-j N`'s workers: a run none of them wrote is not run here.
    const auto& why = options_.workers_why;
    for (std::size_t i = 0; i < cases.size(); ++i) {
      auto it = earlier_.find({Name(), cases[i].spec.name});
      if (it == earlier_.end() && !why.empty()) {
        const std::string& name = cases[i].spec.name;
        const std::string summary =
            "not run: " + why[WorkerOfRun(cases.size(), why.size(), i) - 1];
        Count(oracles::Outcome::kError);
        out_ << fmt::format("ERROR  {}  {} ({}, crash {}): {}\n", Name(), name,
                            explore::Describe(cases[i].run.workload),
                            explore::NameOf(cases[i].run.crash), summary);
        Problem(name + ": " + summary);
        groups.Add(Name(), cases[i].run, std::nullopt, i);
        continue;
      }
      if (it == earlier_.end()) {
        to_run.push_back(cases[i]);
        continue;
      }
      const LoggedRun& r = it->second;
      Count(r.outcome);
      // A worker's FAIL and ERROR lines went to its log: here they are again.
      if (!why.empty() && (r.outcome == oracles::Outcome::kFail ||
                           r.outcome == oracles::Outcome::kError))
        out_ << fmt::format("{:<5}  {}  {} ({}, crash {}): {}\n", oracles::OutcomeName(r.outcome),
                            r.config, r.case_name, r.workload, r.crash, r.summary);
      if (r.outcome == oracles::Outcome::kError) Problem(r.case_name + ": " + r.summary);
      groups.Add(Name(), cases[i].run, r.finding, i);
      ++resumed;
    }
    if (!why.empty())
      out_ << fmt::format("{}: {} of {} runs in the {} workers' results\n", Name(), resumed,
                          cases.size(), why.size());
    else if (options_.resume)
      out_ << fmt::format("{}: {} of {} runs already in {}, {} to run\n", Name(), resumed,
                          cases.size(), options_.results_file.string(), to_run.size());
    Collector collector([&](const report::ConfigInfo& config, const engine::CaseRun& run,
                            const oracles::Verdict& v) {
      const std::string& name = run.case_name;
      label = config.Short();
      Count(v.outcome);
      auto it = by_name.find(name);
      if (it == by_name.end()) return;
      if (v.outcome == oracles::Outcome::kFail || v.outcome == oracles::Outcome::kError)
        out_ << fmt::format("{:<5}  {}  {} ({}, crash {}): {}\n", oracles::OutcomeName(v.outcome),
                            config.Short(), name, explore::Describe(it->second->workload),
                            explore::NameOf(it->second->crash), v.summary);
      if (v.outcome == oracles::Outcome::kError) Problem(name + ": " + v.summary);
      const auto finding = explore::PrimaryFinding(v);
      groups.Add(config.Short(), *it->second, finding, order.at(name));
      // A run a signal stopped did not run: a resumed exploration runs it.
      if (run.interrupted) return;
      if (auto st = log_.Append({config.Short(), name, explore::Describe(it->second->workload),
                                 explore::NameOf(it->second->crash), v.outcome, finding,
                                 v.summary});
          !st)
        Problem(st.error().Message());
    });
    RunCases(to_run, collector);
    const double seconds = SecondsSince(start);
    counts_.run_seconds = seconds;
    result_.totals.run_seconds += seconds;
    ExploreConfigRow row;
    row.config = label.empty() ? Name() : label;
    row.fs = std::string(fsdriver::FsTypeName(run_.filesystems[0]));
    row.block_size = geometry_.block_size;
    row.mkfs_options = run_.mkfs_options;
    row.mkfs_command = collector.config().mkfs_command;
    row.mount_options = run_.mount_options;
    row.counts = counts_;
    row.error = collector.config_error();
    result_.configs.push_back(std::move(row));
    if (!why.empty())  // its workers' logs say how long they took
      out_ << fmt::format("explored {} runs on {} in the workers; {} group{} of failing runs to "
                          "reduce\n",
                          cases.size(), Name(), groups.groups().size(),
                          groups.groups().size() == 1 ? "" : "s");
    else
      out_ << fmt::format("explored {} runs on {} in {:.1f}s ({:.1f} runs/s); {} group{} of "
                          "failing runs to reduce\n",
                          cases.size(), label.empty() ? Name() : label, seconds,
                          seconds > 0 ? cases.size() / seconds : 0.0, groups.groups().size(),
                          groups.groups().size() == 1 ? "" : "s");
    if (!collector.config_error().empty()) Problem(collector.config_error());
    if (options_.worker) return;  // its parent reduces
    const std::vector<CatalogShape> shapes = Shapes(catalog);
    for (const auto& [signature, group] : groups.groups()) {
      if (os::InterruptRequested()) break;
      result_.findings.push_back(Reduce(group, shapes));
    }
  }

 private:
  // The configuration's label, as its runs' results lines say it.
  std::string Name() const {
    report::ConfigInfo info;
    info.fs = std::string(fsdriver::FsTypeName(run_.filesystems[0]));
    info.block_size = geometry_.block_size;
    return info.Short();
  }

  void Count(oracles::Outcome o) {
    ExploreCounts one;
    one.runs = 1;
    switch (o) {
      case oracles::Outcome::kPass: one.passed = 1; break;
      case oracles::Outcome::kFail: one.failed = 1; break;
      case oracles::Outcome::kSkip: one.skipped = 1; break;
      case oracles::Outcome::kError: one.errors = 1; break;
    }
    counts_ += one;
    result_.totals += one;
  }

  void Problem(const std::string& what) {
    if (result_.problems.size() < kProblemsKept) result_.problems.push_back(what);
  }

  void RunCases(const std::vector<PlannedCase>& cases, report::Reporter& reporter) {
    std::vector<const engine::CaseSpec*> specs;
    for (const auto& c : cases) specs.push_back(&c.spec);
    if (!specs.empty()) RunSuite(run_, specs, reporter);
  }

  // The finding each of `runs` showed (by its case's name), running them
  // on one mkfs; absent: the run did not fail.
  std::map<std::string, explore::FindingKind> Findings(const std::vector<PlannedCase>& cases) {
    std::map<std::string, explore::FindingKind> kinds;
    Collector collector([&](const report::ConfigInfo&, const engine::CaseRun& run,
                            const oracles::Verdict& v) {
      if (auto kind = explore::PrimaryFinding(v)) kinds[run.case_name] = *kind;
    });
    RunCases(cases, collector);
    return kinds;
  }

  Finding Reduce(const FindingGroup& group, const std::vector<CatalogShape>& shapes) {
    const auto start = std::chrono::steady_clock::now();
    const explore::FindingKind target = group.group.finding;
    explore::Run current = group.first;
    for (bool shrunk = true; shrunk && !os::InterruptRequested();) {
      shrunk = false;
      for (explore::Shrink how : {explore::Shrink::kDrop, explore::Shrink::kPersist,
                                  explore::Shrink::kLength, explore::Shrink::kOffset}) {
        std::vector<PlannedCase> candidates;
        for (auto& c : explore::Candidates(current.workload, how, geometry_))
          if (auto planned = CaseOf({c.workload, current.crash}, geometry_))
            candidates.push_back(std::move(*planned));
        if (candidates.empty()) continue;
        const auto kinds = Findings(candidates);
        for (const auto& c : candidates) {  // the simplest first
          auto it = kinds.find(c.spec.name);
          if (it == kinds.end() || it->second != target) continue;
          current = c.run;
          shrunk = true;
          break;
        }
        if (shrunk) break;
      }
    }
    Finding f;
    f.signature = explore::SignatureOf(group.group.config, target, current.workload);
    f.runs = group.runs;
    f.reduced = current;
    f.reduced_name = explore::RunName(current, geometry_);
    f.confirm = options_.confirm;
    std::vector<PlannedCase> reruns;
    for (int i = 1; i <= options_.confirm; ++i)
      if (auto planned = CaseOf(current, geometry_, fmt::format(".c{}", i)))
        reruns.push_back(std::move(*planned));
    for (const auto& [name, kind] : Findings(reruns)) f.confirmed += kind == target ? 1 : 0;
    f.covered_by = CoveredBy(f.signature, current.crash, shapes);
    if (auto planned = CaseOf(current, geometry_)) f.case_text = planned->text;
    f.reduce_seconds = SecondsSince(start);
    result_.reduce_seconds += f.reduce_seconds;
    out_ << fmt::format("reduced in {:.1f}s to {}: {}; {} (crash {}), shown {}/{}\n",
                        f.reduce_seconds, f.reduced_name, f.signature.Text(),
                        explore::Describe(current.workload), explore::NameOf(current.crash),
                        f.confirmed, f.confirm);
    if (!options_.export_dir.empty()) Export(f);
    return f;
  }

  // The reduced run once more, recorded, and exported as `eofzero export`
  // exports a run of a report: its folder of four artifacts. A run it
  // refuses (one a self-test fault altered, say) leaves its case file alone.
  void Export(const Finding& f) {
    auto planned = CaseOf(f.reduced, geometry_);
    if (!planned) return Problem(planned.error());
    report::RecordingReporter recording;
    RunSuite(run_, {&planned->spec}, recording);
    auto items = explore::ExportItems(recording.record(), {f.reduced_name},
                                      [](const std::filesystem::path&) { return std::nullopt; });
    std::string why = !items ? items.error() : items->empty() ? "it did not run" : "";
    if (why.empty() && !(*items)[0].refused.empty()) why = (*items)[0].refused;
    if (why.empty()) {
      const explore::ExportItem& item = (*items)[0];
      auto files = explore::ExportFindingFiles(item.c, item.f, item.folder);
      if (files) {
        if (auto st = WriteExportFolder(options_.export_dir, item.folder, *files); !st)
          return Problem(st.error().Message());
        out_ << "exported " << (options_.export_dir / item.folder).string() << ": "
             << files->name << ".toml, repro.sh, fstests/NNN, fstests/NNN.out, report.md\n";
        return;
      }
      why = files.error();
    }
    const auto file = options_.export_dir / (f.reduced_name + ".toml");
    if (auto st = os::WriteOutputFile(file, planned->text); !st)
      return Problem(st.error().Message());
    out_ << "exported " << file.string() << "\n";
    out_ << "  only its case file: " << why << "\n";
  }

  std::vector<CatalogShape> Shapes(const std::vector<const engine::CaseSpec*>& catalog) const {
    std::vector<CatalogShape> out;
    const std::uint32_t page = os::PageSize();
    for (const engine::CaseSpec* spec : catalog) {
      // Only a case that runs on this configuration covers its findings.
      if (spec->block_size && *spec->block_size != geometry_.block_size) continue;
      if (!spec->filesystems.empty() &&
          std::find(spec->filesystems.begin(), spec->filesystems.end(), run_.filesystems[0]) ==
              spec->filesystems.end())
        continue;
      auto vars = engine::VariablesFor(*spec, geometry_.block_size, page,
                                       run_.scenario.gap_bytes);
      if (!vars) continue;
      auto shape = explore::ShapeOfCase(*spec, *vars, geometry_);
      if (shape) out.push_back({spec->name, shape->ops, shape->distance, shape->crash});
    }
    return out;
  }

  ResultsLog& log_;
  const Earlier& earlier_;
  RunOptions run_;
  const ExploreOptions& options_;
  explore::Geometry geometry_;
  explore::Bounds bounds_;
  std::ostream& out_;
  ExploreResult& result_;
  ExploreCounts counts_;  // this configuration's
};

}  // namespace

ExploreResult RunExploration(const RunOptions& run, const ExploreOptions& options,
                             const std::vector<const engine::CaseSpec*>& catalog,
                             std::ostream& out) {
  ExploreResult result;
  ResultsLog log;
  auto logged = log.Open(options.results_file, options.resume);
  if (!logged) {
    result.problems.push_back(logged.error());
    return result;
  }
  Earlier earlier;
  for (auto& r : *logged) earlier.insert_or_assign({r.config, r.case_name}, std::move(r));
  for (fsdriver::FsType fs : run.filesystems) {
    // After `-j N`'s workers every configuration counts what they ran.
    if (os::InterruptRequested() && options.workers_why.empty()) break;
    ConfigExploration(run, options, fs, out, log, earlier, result).Explore(catalog);
  }
  result.findings = MergeBySignature(std::move(result.findings));
  result.interrupted = os::InterruptRequested();
  return result;
}

os::Status WriteExportFolder(const std::filesystem::path& dir, const std::string& folder,
                             const explore::Exported& files) {
  auto write = [](const std::filesystem::path& path, const std::string& text,
                  mode_t mode) -> os::Status {
    EOFZERO_ASSIGN_OR_RETURN(os::PendingFile file, os::PendingFile::Create(path, mode));
    const ByteView bytes(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
    EOFZERO_RETURN_IF_ERROR(os::WriteAll(file.fd(), bytes, 0, path.string()));
    return file.Commit();
  };
  const std::filesystem::path at = dir / folder;
  EOFZERO_RETURN_IF_ERROR(os::MakeDirectory(at));
  EOFZERO_RETURN_IF_ERROR(os::MakeDirectory(at / "fstests"));
  EOFZERO_RETURN_IF_ERROR(write(at / (files.name + ".toml"), files.case_file, 0644));
  EOFZERO_RETURN_IF_ERROR(write(at / "repro.sh", files.script, 0755));
  EOFZERO_RETURN_IF_ERROR(write(at / "fstests" / "NNN", files.fstests, 0755));
  EOFZERO_RETURN_IF_ERROR(write(at / "fstests" / "NNN.out", files.fstests_out, 0644));
  return write(at / "report.md", files.report, 0644);
}

ExploreReport ReportOf(const RunOptions& run, const ExploreOptions& options,
                       const ExploreResult& result, int interrupt_signal) {
  ExploreReport r;
  const report::ToolInfo tool = report::ThisTool();
  r.tool_version = tool.version;
  r.tool_commit = tool.commit;
  const std::string kernel = os::KernelRelease();
  r.kernel = kernel.substr(0, kernel.find(' '));
  r.options = OptionsJson(run, options);
  r.configs = result.configs;
  r.totals = result.totals;
  r.reduce_seconds = result.reduce_seconds;
  for (const auto& f : result.findings) r.findings.push_back(RowOf(f));
  r.problems = result.problems;
  r.signal = interrupt_signal;
  if (result.interrupted && r.signal == 0) r.signal = SIGINT;
  return r;
}

}  // namespace eofzero::suite
