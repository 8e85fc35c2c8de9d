#include "suite/explore_workers.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <variant>

#include "os/file_io.h"
#include "report/record.h"
#include "suite/exit_status.h"
#include "suite/matrix_merge.h"
#include "suite/worker_pool.h"

namespace eofzero::suite {

std::vector<std::string> ExploreWorkerArgs(const std::vector<std::string>& args, std::size_t k,
                                           std::size_t n, const std::filesystem::path& results) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--results") {
      ++i;  // and its value
      continue;
    }
    if (args[i].starts_with("--results=") || args[i] == "--resume") continue;
    out.push_back(args[i]);
  }
  out.push_back(fmt::format("--worker-slice={}/{}", k, n));
  out.push_back("--results=" + results.string());
  return out;
}

std::string JoinResults(const std::vector<WorkerResults>& workers) {
  std::string text;
  for (const auto& w : workers)
    for (const auto& r : w.runs) text += ResultsLine(r).dump() + "\n";
  return text;
}

std::vector<WorkerResults> RunExploreWorkers(const std::filesystem::path& program,
                                             const std::vector<std::string>& args, std::size_t n,
                                             const std::filesystem::path& dir,
                                             WorkerLauncher& launcher, Clock& clock,
                                             const InterruptPoll& interrupt,
                                             std::chrono::seconds grace) {
  auto results = [&](std::size_t k) { return dir / fmt::format("worker-{}.jsonl", k); };
  auto log = [&](std::size_t k) { return dir / fmt::format("worker-{}.log", k); };
  std::vector<PoolCommand> commands;
  for (std::size_t k = 1; k <= n; ++k) {
    PoolCommand c{{program.string()}, log(k)};
    for (auto& a : ExploreWorkerArgs(args, k, n, results(k))) c.argv.push_back(std::move(a));
    spdlog::info("explore: starting worker {}/{}: {}", k, n, fmt::join(c.argv, " "));
    commands.push_back(std::move(c));
  }
  PoolConfig pool;
  pool.parallel = static_cast<unsigned>(n);
  pool.grace = grace;
  const auto outcomes = RunWorkers(commands, pool, launcher, clock, interrupt);
  std::vector<WorkerResults> out;
  for (std::size_t k = 1; k <= n; ++k) {
    const auto& outcome = outcomes[k - 1];
    WorkerResults w;
    // Whatever whole lines it wrote count, however it ended.
    if (auto text = os::ReadRegularFile(results(k), 1ull << 30); text)
      if (auto parsed = ParseResults(*text); parsed) w.runs = std::move(parsed->runs);
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
                LogTail(log(k), 3);
    }
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace eofzero::suite
