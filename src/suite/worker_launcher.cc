#include "suite/worker_launcher.h"

#include "os/child.h"

namespace eofzero::suite {
namespace {

class ChildWorker : public Worker {
 public:
  explicit ChildWorker(os::Child child) : child_(std::move(child)) {}
  std::optional<os::ProcessResult> Poll() override { return child_.Poll(); }
  void Terminate() override { child_.Terminate(); }
  void Kill() override { child_.Kill(); }
  int Pid() const override { return child_.pid(); }

 private:
  os::Child child_;  // its destructor stops and reaps a child still running
};

class ChildLauncher : public WorkerLauncher {
 public:
  os::Result<std::unique_ptr<Worker>> Start(const std::vector<std::string>& argv,
                                            const std::filesystem::path& log) override {
    auto child = os::Child::Start(argv, log);
    if (!child) return std::unexpected(child.error());
    return std::make_unique<ChildWorker>(std::move(*child));
  }
};

}  // namespace

std::unique_ptr<WorkerLauncher> MakeChildLauncher() { return std::make_unique<ChildLauncher>(); }

}  // namespace eofzero::suite
