// The one scheduler of worker processes (matrix's workers, kernels' guests
// and their KVM probe, sweep's shards, explore's): jobs start in their order,
// up to `parallel` at once, through a WorkerLauncher; they are polled on a
// Clock and reaped as they end. A job may be given a timeout: a worker still
// running then is killed (SIGKILL) and its ending says so. On an interrupt
// the pool starts nothing more, asks the running workers to stop (SIGTERM),
// kills those still running after the grace period (SIGKILL; a grace of 0
// kills them at once), and the jobs never started are cancelled. What a job
// runs and what its ending means belong to the caller: a PoolClient (a
// visitor called for each event), or RunWorkers for a plain list of commands.
// Nothing here sleeps but the Clock, so the unit tests run it with fakes.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "os/error.h"
#include "os/process.h"
#include "suite/clock.h"
#include "suite/interrupts.h"
#include "suite/worker_launcher.h"

namespace eofzero::suite {

struct PoolConfig {
  unsigned parallel = 1;  // workers at once (0 counts as 1)
  std::chrono::milliseconds poll_interval{50};
  // After an interrupt, how long a worker may take to stop before it is
  // killed; 0: killed at once, never asked.
  std::chrono::seconds grace{60};
  // From its start, how long a worker may run before it is killed; none: no limit.
  std::optional<std::chrono::seconds> timeout;
};

// What to start for a job: argv[0] is the program; its stdout and stderr
// are appended to `log` (WorkerLauncher::Start).
struct PoolCommand {
  std::vector<std::string> argv;
  std::filesystem::path log;
};

// How a started worker ended.
struct WorkerEnding {
  os::ProcessResult result;  // its exit code or signal
  bool timed_out = false;    // the pool killed it at the timeout
  // The interrupt's signal when the pool had been asked to stop while it ran
  // (it was sent SIGTERM, or SIGKILL with a grace of 0), else 0.
  int interrupted_by = 0;
  double seconds = 0;  // from its start to its end, on the pool's clock
};

// The caller's side of a pool run: one call per event, on the pool's thread.
class PoolClient {
 public:
  virtual ~PoolClient() = default;
  // Job `index`'s turn (jobs come in order, each once): what to start, or
  // nullopt when the client settled the job itself (it could not be
  // prepared); then none of the calls below come for it.
  virtual std::optional<PoolCommand> Command(std::size_t index) = 0;
  // Once per poll while its worker runs, before it is polled.
  virtual void Watch(std::size_t /*index*/) {}
  // Its worker ended (on its own, at its timeout, or stopped).
  virtual void Ended(std::size_t index, const WorkerEnding& ending) = 0;
  // The launcher could not start its worker.
  virtual void StartFailed(std::size_t index, const os::Error& error) = 0;
  // It was never started: interrupt `signal` came first.
  virtual void Cancelled(std::size_t index, int signal) = 0;
  // The jobs running now, in their order, after the set changed (progress).
  virtual void Running(const std::vector<std::size_t>& /*indices*/) {}
};

// Runs jobs 0 .. jobs-1 until each has ended, failed to start or been
// cancelled. The client hears of each exactly once (unless Command settled it).
void RunPool(std::size_t jobs, const PoolConfig& config, PoolClient& client,
             WorkerLauncher& launcher, Clock& clock, const InterruptPoll& interrupt);

// The plain use: run these commands, and say how each one went.
struct StartFailure {
  os::Error error;
};
struct Cancellation {
  int signal = 0;
};
using WorkerOutcome = std::variant<WorkerEnding, StartFailure, Cancellation>;

// One outcome per command, in the commands' order.
std::vector<WorkerOutcome> RunWorkers(const std::vector<PoolCommand>& commands,
                                      const PoolConfig& config, WorkerLauncher& launcher,
                                      Clock& clock, const InterruptPoll& interrupt);

}  // namespace eofzero::suite
