#include "suite/explore_run.h"

#include <fmt/format.h>

#include <chrono>
#include <functional>
#include <map>

#include "engine/case_check.h"
#include "explore/classify.h"
#include "explore/reduce.h"
#include <nlohmann/json.hpp>

#include "os/file_io.h"
#include "os/interrupt.h"
#include "os/user_files.h"
#include "suite/clock.h"
#include "suite/exit_status.h"
#include "suite/run_suite.h"

namespace eofzero::suite {
namespace {

constexpr std::size_t kProblemsKept = 5;

double SecondsSince(Clock::TimePoint start) {
  return SecondsBetween(start, std::chrono::steady_clock::now());
}

// --results FILE: one JSON object a line, appended as each run ends.
class ResultsLog {
 public:
  os::Status Open(const std::filesystem::path& file) {
    if (file.empty()) return {};
    EOFZERO_ASSIGN_OR_RETURN(fd_, os::OpenOutputFile(file));
    file_ = file.string();
    return os::Truncate(fd_.get(), 0, file_);
  }
  os::Status Append(const nlohmann::json& line) {
    if (!fd_.valid()) return {};
    const std::string text = line.dump() + "\n";
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    EOFZERO_RETURN_IF_ERROR(os::WriteAll(fd_.get(), {bytes, text.size()}, offset_, file_));
    offset_ += text.size();
    return {};
  }

 private:
  os::UniqueFd fd_;
  std::string file_;
  std::uint64_t offset_ = 0;
};

// Hands each case's verdict on, by the case's name; a configuration that
// could not be made is kept.
class Collector : public report::Reporter {
 public:
  using Done = std::function<void(const report::ConfigInfo&, const std::string& case_name,
                                  const oracles::Verdict&)>;
  explicit Collector(Done done) : done_(std::move(done)) {}
  void RunStarted(const std::string&) override {}
  void ConfigReady(const report::ConfigInfo&) override {}
  void ConfigFailed(const report::ConfigInfo& c, const std::string& error) override {
    config_error_ = c.Short() + ": " + error;
  }
  void CaseDone(const report::ConfigInfo& c, const engine::CaseRun& run,
                const oracles::Verdict& verdict) override {
    done_(c, run.case_name, verdict);
  }
  void Finish(double) override {}
  const std::string& config_error() const { return config_error_; }

 private:
  Done done_;
  std::string config_error_;
};

// One configuration's exploration.
class ConfigExploration {
 public:
  ConfigExploration(const RunOptions& run, const ExploreOptions& options, fsdriver::FsType fs,
                    std::ostream& out, ResultsLog& log, ExploreResult& result)
      : log_(log),
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
    for (const auto& c : cases) by_name[c.spec.name] = &c.run;
    const auto start = std::chrono::steady_clock::now();
    FindingGroups groups;
    std::string label;
    Collector collector([&](const report::ConfigInfo& config, const std::string& name,
                            const oracles::Verdict& v) {
      label = config.Short();
      Count(v.outcome);
      auto it = by_name.find(name);
      if (it == by_name.end()) return;
      if (v.outcome == oracles::Outcome::kFail || v.outcome == oracles::Outcome::kError)
        out_ << fmt::format("{:<5}  {}  {} ({}, crash {}): {}\n", oracles::OutcomeName(v.outcome),
                            config.Short(), name, explore::Describe(it->second->workload),
                            explore::NameOf(it->second->crash), v.summary);
      if (v.outcome == oracles::Outcome::kError) Problem(name + ": " + v.summary);
      groups.Add(config.Short(), *it->second, v);
      const auto finding = explore::PrimaryFinding(v);
      if (auto st = log_.Append({{"config", config.Short()},
                                 {"case", name},
                                 {"workload", explore::Describe(it->second->workload)},
                                 {"crash", explore::NameOf(it->second->crash)},
                                 {"verdict", oracles::OutcomeName(v.outcome)},
                                 {"finding", finding ? finding->kind : ""},
                                 {"after_crash", finding && finding->after_crash},
                                 {"summary", v.summary}});
          !st)
        Problem(st.error().Message());
    });
    RunCases(cases, collector);
    const double seconds = SecondsSince(start);
    result_.run_seconds += seconds;
    out_ << fmt::format("explored {} runs on {} in {:.1f}s ({:.1f} runs/s); {} group{} of failing "
                        "runs to reduce\n",
                        cases.size(), label.empty() ? Name() : label, seconds,
                        seconds > 0 ? cases.size() / seconds : 0.0, groups.groups().size(),
                        groups.groups().size() == 1 ? "" : "s");
    if (!collector.config_error().empty()) Problem(collector.config_error());
    const std::vector<CatalogShape> shapes = Shapes(catalog);
    for (const auto& [signature, group] : groups.groups()) {
      if (os::InterruptRequested()) break;
      result_.findings.push_back(Reduce(group, shapes));
    }
  }

 private:
  std::string Name() const {
    return fmt::format("{}/{}k", fsdriver::FsTypeName(run_.filesystems[0]),
                       geometry_.block_size / 1024);
  }

  void Count(oracles::Outcome o) {
    result_.runs += 1;
    switch (o) {
      case oracles::Outcome::kPass: result_.passed += 1; break;
      case oracles::Outcome::kFail: result_.failed += 1; break;
      case oracles::Outcome::kSkip: result_.skipped += 1; break;
      case oracles::Outcome::kError: result_.errors += 1; break;
    }
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
    Collector collector([&](const report::ConfigInfo&, const std::string& name,
                            const oracles::Verdict& v) {
      if (auto kind = explore::PrimaryFinding(v)) kinds[name] = *kind;
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
    f.covered_by = CoveredBy(f.signature, shapes);
    f.reduce_seconds = SecondsSince(start);
    result_.reduce_seconds += f.reduce_seconds;
    out_ << fmt::format("reduced in {:.1f}s to {}: {}; {} (crash {}), shown {}/{}\n",
                        f.reduce_seconds, f.reduced_name, f.signature.Text(),
                        explore::Describe(current.workload), explore::NameOf(current.crash),
                        f.confirmed, f.confirm);
    if (!options_.export_dir.empty()) Export(f);
    return f;
  }

  void Export(const Finding& f) {
    auto planned = CaseOf(f.reduced, geometry_);
    if (!planned) return Problem(planned.error());
    const auto file = options_.export_dir / (f.reduced_name + ".toml");
    if (auto st = os::WriteOutputFile(file, planned->text); !st)
      return Problem(st.error().Message());
    out_ << "exported " << file.string() << "\n";
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
      if (shape) out.push_back({spec->name, shape->ops, shape->distance});
    }
    return out;
  }

  ResultsLog& log_;
  RunOptions run_;
  const ExploreOptions& options_;
  explore::Geometry geometry_;
  explore::Bounds bounds_;
  std::ostream& out_;
  ExploreResult& result_;
};

}  // namespace

ExploreResult RunExploration(const RunOptions& run, const ExploreOptions& options,
                             const std::vector<const engine::CaseSpec*>& catalog,
                             std::ostream& out) {
  ExploreResult result;
  ResultsLog log;
  if (auto st = log.Open(options.results_file); !st) {
    result.problems.push_back(st.error().Message());
    return result;
  }
  for (fsdriver::FsType fs : run.filesystems) {
    if (os::InterruptRequested()) break;
    ConfigExploration(run, options, fs, out, log, result).Explore(catalog);
  }
  result.findings = MergeBySignature(std::move(result.findings));
  result.interrupted = os::InterruptRequested();
  return result;
}

int ExploreExitStatus(const ExploreResult& result, int interrupt_signal) {
  if (interrupt_signal != 0) return 128 + interrupt_signal;
  if (!result.findings.empty() || result.failed > 0) return kExitFail;
  if (result.errors > 0 || !result.problems.empty()) return kExitToolError;
  return kExitPass;
}

}  // namespace eofzero::suite
