#include "cli/matrix_command.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "cli/case_preflight.h"
#include "report/report_output.h"
#include "os/child.h"
#include "os/file_io.h"
#include "os/interrupt.h"
#include "os/process.h"
#include "report/json_report.h"
#include "report/standing.h"
#include "report/table.h"
#include "scratch/fs_type.h"
#include "scratch/run_dir.h"
#include "suite/exit_status.h"

namespace eofzero::cli {
namespace {

using report::Standing;

std::string Join(const std::vector<std::string>& words, const char* sep) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : sep) + w;
  return s;
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", s);
  return buf;
}

// The last few lines of a worker's log, for an error message.
std::string Tail(const std::filesystem::path& log, std::size_t lines) {
  std::ifstream in(log);
  std::deque<std::string> last;
  for (std::string line; std::getline(in, line);) {
    last.push_back(line);
    if (last.size() > lines) last.pop_front();
  }
  return Join({last.begin(), last.end()}, " | ");
}

std::optional<report::RunRecord> ReadWorkerReport(const std::filesystem::path& json_path,
                                                  std::string& why) {
  auto record = report::LoadJsonReport(json_path);
  if (record) return std::move(*record);
  switch (record.error().kind) {
    case report::JsonReportError::Kind::kUnreadable:
      why = "it wrote no report";
      break;
    case report::JsonReportError::Kind::kNotJson:
      why = "its report is not JSON";
      break;
    case report::JsonReportError::Kind::kNotAReport:
      why = "its report: " + record.error().message;
      break;
  }
  return std::nullopt;
}

std::string Progress(std::size_t n, std::size_t m, const report::ConfigRecord& c, double seconds) {
  int counts[6] = {};
  for (const auto& r : c.cases) ++counts[static_cast<int>(report::StandingOf(r))];
  std::string tally;
  for (Standing s : {Standing::kPass, Standing::kExpectedFail, Standing::kNewFail,
                     Standing::kUnexpectedPass, Standing::kSkip, Standing::kError})
    if (counts[static_cast<int>(s)])
      tally += (tally.empty() ? "" : ", ") + std::to_string(counts[static_cast<int>(s)]) + " " +
               report::StandingName(s);
  char line[200];
  std::snprintf(line, sizeof line, "[%zu/%zu] %-20s %3zu cases %7s  ", n, m,
                c.config.name.c_str(), c.cases.size(), Seconds(seconds).c_str());
  return line + (tally.empty() ? "no cases" : tally) +
         (c.setup_error.empty() ? "" : "; " + c.setup_error);
}

// What needs a human after the table: each red cell, with its evidence when
// there are only a few (all of it is in the JSON and JUnit reports). After an
// interrupt, the cases that did not run are listed under the table instead.
std::string Attention(const report::RunRecord& record) {
  constexpr int kEvidenceUpTo = 4;
  auto needs_attention = [&](const report::CaseRecord& r) {
    return report::IsRed(report::StandingOf(r)) && !(r.not_run && record.interrupted_by);
  };
  int red = 0;
  for (const auto& c : record.configs)
    for (const auto& r : c.cases) red += needs_attention(r);
  std::ostringstream os;
  for (const auto& c : record.configs) {
    for (const auto& r : c.cases) {
      const Standing s = report::StandingOf(r);
      if (!needs_attention(r)) continue;
      os << report::StandingName(s) << "  " << c.config.name << "  " << r.case_name << "  "
         << r.summary << "\n";
      if (s == Standing::kUnexpectedPass)
        os << "    declared as an expected failure: " << r.expected_failure->reason
           << "\n    it passed: if the bug is fixed, remove the declaration\n";
      if (s == Standing::kNewFail && r.expected_failure)
        os << "    declared as an expected failure of kind " << Join(r.expected_failure->findings, ", ")
           << ", but it found " << Join(r.findings, ", ") << "\n";
      if (s == Standing::kError && !r.reason.empty() && r.summary.find(r.reason) == std::string::npos)
        os << "    " << r.reason << "\n";
      if (red <= kEvidenceUpTo) os << r.evidence;
    }
  }
  if (red > kEvidenceUpTo)
    os << "(" << red << " need attention: the evidence of each is in the JSON and JUnit reports, "
       << "--format json|junit --output FILE)\n";
  return os.str();
}

// Runs the jobs' workers, up to `parallel` at once, and folds each one's
// report into its configuration record as it ends; prints a progress line
// per configuration when `human`.
class Scheduler {
 public:
  Scheduler(const std::vector<MatrixJob>& jobs, const suite::RunOptions& options, unsigned parallel,
            std::filesystem::path self, std::filesystem::path dir, std::ostream& out, bool human,
            bool interactive)
      : jobs_(jobs), options_(options), parallel_(parallel), self_(std::move(self)),
        dir_(std::move(dir)), out_(out), human_(human), interactive_(interactive),
        results_(jobs.size()) {}

  // Until every worker has ended: start, watch, reap; on an interrupt, stop.
  std::vector<report::ConfigRecord> Run() {
    while (next_ < jobs_.size() || !running_.empty()) {
      while (!os::InterruptRequested() && next_ < jobs_.size() && running_.size() < parallel_)
        Start(jobs_[next_++]);
      ShowRunning();
      if (os::InterruptRequested()) StopAll();
      Reap();
      if (!running_.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::vector<report::ConfigRecord> out;
    for (auto& r : results_)
      if (r) out.push_back(std::move(*r));
    return out;
  }

 private:
  struct Running {
    const MatrixJob* job;
    os::Child child;
    std::filesystem::path json, log;
    std::chrono::steady_clock::time_point started;
  };

  void Start(const MatrixJob& job) {
    const auto json = dir_ / (job.entry.name + ".json");
    const auto log = dir_ / (job.entry.name + ".log");
    std::vector<std::string> argv = {self_.string()};
    for (auto& a : WorkerArgs(job, options_, dir_, json)) argv.push_back(std::move(a));
    spdlog::info("matrix: starting {}: {}", job.entry.name, Join(argv, " "));
    auto child = os::Child::Start(argv, log);
    if (!child) {
      Done(job, MergeWorker(job, nullptr, child.error().Message()), 0);
      return;
    }
    spdlog::info("matrix: {} runs as pid {}", job.entry.name, child->pid());
    running_.push_back({&job, std::move(*child), json, log, std::chrono::steady_clock::now()});
    changed_ = true;
  }

  // On a terminal, a transient line says which configurations are running.
  void ShowRunning() {
    if (!human_ || !interactive_ || !changed_) return;
    std::vector<std::string> names;
    for (const auto& r : running_) names.push_back(r.job->entry.name);
    out_ << "\r\033[K" << "running: " << Join(names, ", ") << " ...";
    out_.flush();
    changed_ = false;
  }

  // Asked once; a worker that has not stopped a minute later is killed (its
  // mounts live in its own namespace and go with it). Unstarted jobs end here.
  void StopAll() {
    if (!interrupted_at_) {
      interrupted_at_ = std::chrono::steady_clock::now();
      for (auto& r : running_) r.child.Terminate();
    } else if (std::chrono::steady_clock::now() - *interrupted_at_ > std::chrono::seconds(60)) {
      for (auto& r : running_) r.child.Kill();
    }
    for (; next_ < jobs_.size(); ++next_)
      results_[next_] =
          MergeWorker(jobs_[next_], nullptr, report::Interruption(os::InterruptSignal()));
  }

  void Reap() {
    for (auto it = running_.begin(); it != running_.end();) {
      auto ended = it->child.Poll();
      if (!ended) {
        ++it;
        continue;
      }
      Ended(*it, *ended);
      it = running_.erase(it);
    }
  }

  // A worker's report, or why there is none, folded into its configuration.
  void Ended(const Running& r, const os::ProcessResult& ended) {
    std::string why;
    auto worker = ReadWorkerReport(r.json, why);
    const bool finished = ended.exit_code == suite::kExitPass || ended.exit_code == suite::kExitFail;
    // A worker the matrix stopped when it was interrupted: its report says
    // so (with the cases it did not run as not-run ERRORs), or the SIGTERM
    // ended it before it could write one. Not the worker's failure.
    const bool stopped =
        interrupted_at_ && (worker ? worker->interrupted_by != 0 : ended.term_signal == SIGTERM);
    const bool ok = (worker && finished) || stopped;
    if (stopped)
      why = report::Interruption(os::InterruptSignal());
    else if (!ok)
      why = "the worker " + ended.Ending() + (why.empty() ? "" : " and " + why) +
            (options_.keep ? " (log: " + r.log.string() + ")" : "");
    auto merged = MergeWorker(*r.job, worker ? &*worker : nullptr, why);
    if (!ok) {
      merged.setup_error += (merged.setup_error.empty() ? "" : "; ") + why +
                            ", its last lines: " + Tail(r.log, 3);
    }
    Done(*r.job, std::move(merged),
         std::chrono::duration<double>(std::chrono::steady_clock::now() - r.started).count());
  }

  void Done(const MatrixJob& job, report::ConfigRecord merged, double seconds) {
    ++finished_;
    if (human_)
      out_ << (interactive_ ? "\r\033[K" : "") << Progress(finished_, jobs_.size(), merged, seconds)
           << "\n";
    out_.flush();
    changed_ = true;
    results_[&job - jobs_.data()] = std::move(merged);
  }

  const std::vector<MatrixJob>& jobs_;
  const suite::RunOptions& options_;
  const unsigned parallel_;
  const std::filesystem::path self_, dir_;
  std::ostream& out_;
  const bool human_, interactive_;
  std::vector<std::optional<report::ConfigRecord>> results_;
  std::vector<Running> running_;
  std::size_t next_ = 0, finished_ = 0;
  bool changed_ = false;
  std::optional<std::chrono::steady_clock::time_point> interrupted_at_;
};

}  // namespace

std::expected<std::vector<MatrixJob>, std::string> PlanMatrix(
    const std::filesystem::path& file, const std::vector<engine::CaseSpec>& catalog) {
  auto matrix = LoadMatrixFile(file);
  if (!matrix) return std::unexpected(matrix.error());
  std::vector<MatrixJob> jobs;
  for (const auto& entry : matrix->configs) {
    auto cases = CasesFor(*matrix, entry, catalog);
    if (!cases) return std::unexpected(cases.error());
    MatrixJob job{entry, {}};
    for (const auto* c : *cases) job.cases.push_back(c->name);
    jobs.push_back(std::move(job));
  }
  return jobs;
}

std::expected<void, std::string> PreflightMatrix(const std::vector<MatrixJob>& jobs,
                                                 const std::vector<engine::CaseSpec>& catalog) {
  for (const auto& job : jobs) {
    suite::RunOptions worker;  // what WorkerArgs leaves at its default stays so here
    worker.filesystems = {job.entry.fs};
    worker.block_size = job.entry.block_size;
    std::vector<const engine::CaseSpec*> cases;
    for (const auto& name : job.cases)
      for (const auto& c : catalog)
        if (c.name == name) cases.push_back(&c);
    if (auto ok = PreflightCases(worker, cases); !ok)
      return std::unexpected(ok.error() + " (configuration " + job.entry.name + ")");
  }
  return {};
}

std::vector<std::string> WorkerArgs(const MatrixJob& job, const suite::RunOptions& options,
                                    const std::filesystem::path& workdir,
                                    const std::filesystem::path& json_out) {
  std::vector<std::string> args = {
      "run",
      "--worker",
      "--config-name=" + job.entry.name,
      "--fs=" + std::string(scratch::FsTypeName(job.entry.fs)),
      "--block-size=" + std::to_string(job.entry.block_size),
      "--case=" + Join(job.cases, ","),
      "--workdir=" + workdir.string(),
      "--format=json",
      "--output=" + json_out.string(),
      "-v"};
  // (CLI11 takes "--opt=" with an empty value as "--opt" followed by the next word.)
  if (!job.entry.mkfs_options.empty()) args.push_back("--mkfs-options=" + job.entry.mkfs_options);
  if (!job.entry.mount_options.empty())
    args.push_back("--mount-options=" + job.entry.mount_options);
  for (const auto& dir : options.cases_dirs) args.push_back("--cases-dir=" + dir.string());
  if (options.keep) args.push_back("--keep");
  return args;
}

report::ConfigRecord MergeWorker(const MatrixJob& job, const report::RunRecord* worker,
                                 const std::string& why_missing) {
  report::ConfigRecord merged;
  merged.config.name = job.entry.name;
  merged.config.fs = std::string(scratch::FsTypeName(job.entry.fs));
  merged.config.block_size = job.entry.block_size;
  merged.config.mount_options = job.entry.mount_options;
  std::vector<std::string> errors;
  for (const auto& c : worker ? worker->configs : std::vector<report::ConfigRecord>{}) {
    if (c.config.block_size == job.entry.block_size || merged.config.mkfs_command.empty()) {
      merged.config = c.config;
      merged.config.name = job.entry.name;
    }
    if (!c.setup_error.empty()) errors.push_back(c.setup_error);
    merged.cases.insert(merged.cases.end(), c.cases.begin(), c.cases.end());
  }
  merged.setup_error = Join(errors, "; ");
  for (const auto& name : job.cases) {
    bool reported = false;
    for (const auto& r : merged.cases) reported |= r.case_name == name;
    if (!reported) merged.cases.push_back(report::NotRunRecord(name, why_missing));
  }
  for (auto& r : merged.cases)
    if (auto it = job.entry.expected_failures.find(r.case_name);
        it != job.entry.expected_failures.end())
      r.expected_failure = it->second;
  return merged;
}

int RunMatrix(const std::vector<MatrixJob>& jobs, const suite::RunOptions& options, unsigned parallel,
              std::ostream& out, bool interactive) {
  const auto start = std::chrono::steady_clock::now();
  auto self = os::SelfExecutable();
  auto space = scratch::OpenRunSpace(options.workdir, true);
  if (!self || !space) {
    std::cerr << "eofzero: matrix: " << (self ? space.error() : self.error()).Message() << "\n";
    return suite::kExitToolError;
  }
  if (options.keep) space->dir->Keep();
  report::RunRecord record;
  record.kernel = os::KernelRelease();
  record.started = report::UtcNow();
  const bool human = options.format == report::ReportFormat::kHuman || !options.output.empty();
  if (human)
    out << "eofzero matrix on Linux " << record.kernel << ": " << jobs.size()
        << " configurations, " << parallel << " at a time\n";
  out.flush();

  record.configs = Scheduler(jobs, options, parallel, *self, space->dir->path(), out, human,
                             interactive)
                       .Run();
  // A worker killed outright is released by its guardian; let that end
  // before the folder it worked in goes.
  scratch::SettleRunsInside(space->dir->path(), std::chrono::seconds(30));
  record.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (os::InterruptRequested()) record.interrupted_by = os::InterruptSignal();

  std::string closing = "matrix: " + std::to_string(jobs.size()) + " configurations in " +
                        Seconds(record.seconds) + " with -j " + std::to_string(parallel);
  if (record.interrupted_by) closing += "; " + report::InterruptionSummary(record);
  const std::string human_text = report::RenderTable(record, report::TableStyle::kText) + "\n" +
                                 Attention(record) + closing + "\n";
  if (human) out << (interactive ? "\r\033[K\n" : "\n") << human_text;
  out.flush();
  if (!options.output.empty() || options.format != report::ReportFormat::kHuman) {
    const std::string text = options.format == report::ReportFormat::kHuman
                                 ? human_text
                                 : report::RenderRecord(record, options.format);
    auto written = report::WriteReport(text, options.output, out);
    if (!written) {
      std::cerr << "eofzero: " << written.error() << "\n";
      return suite::kExitToolError;
    }
  }
  if (os::InterruptRequested()) return suite::ExitStatusFor({}, os::InterruptSignal());
  return suite::MatrixExitStatus(record);
}

}  // namespace eofzero::cli
