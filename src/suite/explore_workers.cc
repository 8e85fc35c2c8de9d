#include "suite/explore_workers.h"

#include <fmt/format.h>

#include <csignal>
#include <variant>

#include "os/file_io.h"
#include "report/record.h"
#include "suite/exit_status.h"
#include "suite/matrix_merge.h"
#include "suite/worker_pool.h"

namespace eofzero::suite {
namespace {

constexpr std::uint64_t kMaxWorkerFile = 1ull << 30;

std::filesystem::path WorkerLines(const std::filesystem::path& dir, std::size_t k) {
  return dir / fmt::format("worker-{}.jsonl", k);
}
std::filesystem::path WorkerReport(const std::filesystem::path& dir, std::size_t k) {
  return dir / fmt::format("worker-{}.json", k);
}
std::filesystem::path WorkerLog(const std::filesystem::path& dir, std::size_t k) {
  return dir / fmt::format("worker-{}.log", k);
}

// The rows of the report a worker wrote; none when it wrote none.
std::vector<ExploreConfigRow> RowsOf(const std::filesystem::path& file) {
  auto text = os::ReadRegularFile(file, kMaxWorkerFile);
  if (!text) return {};
  const auto doc = nlohmann::ordered_json::parse(*text, nullptr, false);
  if (doc.is_discarded()) return {};
  auto report = ExploreReportFromJson(doc);
  return report ? std::move(report->configs) : std::vector<ExploreConfigRow>{};
}

}  // namespace

SliceSplit ExploreSplit(const std::filesystem::path& dir, const std::filesystem::path& done) {
  SliceSplit split;
  split.command = "explore";
  split.drop_with_value = {"--results"};
  split.drop_flags = {"--resume"};
  split.own = [dir, done](std::size_t k) {
    std::vector<std::string> own = {"--results=" + WorkerLines(dir, k).string(),
                                    "--worker-output=" + WorkerReport(dir, k).string()};
    if (!done.empty()) own.push_back("--worker-done=" + done.string());
    return own;
  };
  split.log = [dir](std::size_t k) { return WorkerLog(dir, k); };
  return split;
}

std::vector<WorkerResults> RunExploreWorkers(const std::filesystem::path& program,
                                             const std::vector<std::string>& args, std::size_t n,
                                             const std::filesystem::path& dir,
                                             const std::filesystem::path& done,
                                             WorkerLauncher& launcher, Clock& clock,
                                             const InterruptPoll& interrupt,
                                             std::chrono::seconds grace) {
  PoolConfig pool;
  pool.parallel = static_cast<unsigned>(n);
  pool.grace = grace;
  const auto outcomes = RunWorkers(SliceWorkerCommands(program, args, n, ExploreSplit(dir, done)),
                                   pool, launcher, clock, interrupt);
  std::vector<WorkerResults> out;
  for (std::size_t k = 1; k <= n; ++k) {
    const auto& outcome = outcomes[k - 1];
    WorkerResults w;
    // Whatever whole lines it wrote count, however it ended.
    if (auto text = os::ReadRegularFile(WorkerLines(dir, k), kMaxWorkerFile); text)
      if (auto parsed = ParseResults(*text); parsed) w.runs = std::move(parsed->runs);
    w.configs = RowsOf(WorkerReport(dir, k));
    if (const auto* failed = std::get_if<StartFailure>(&outcome)) {
      w.why = "the worker did not start: " + failed->error.Message();
    } else if (const auto* cancelled = std::get_if<Cancellation>(&outcome)) {
      w.why = report::Interruption(cancelled->signal);
    } else {
      const auto& ending = std::get<WorkerEnding>(outcome);
      const int code = ending.result.exit_code;
      const bool finished = ending.result.term_signal == 0 &&
                            (code == kExitPass || code == kExitFail || code == kExitToolError);
      if (ending.interrupted_by && (ending.result.term_signal == SIGTERM || code > 128))
        w.why = report::Interruption(ending.interrupted_by);
      else
        w.why = "the worker " + ending.result.Ending() +
                (finished ? " without writing it" : "") + ", its last lines: " +
                LogTail(WorkerLog(dir, k), 3);
    }
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace eofzero::suite
