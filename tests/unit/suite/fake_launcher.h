// Workers for the pool's tests, without processes: they end when the test
// says (End), or when stopped: a SIGTERM ends one unless it
// `ignores_sigterm`, a SIGKILL always does. A worker's name is its log's stem.
#pragma once

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "suite/clock.h"
#include "suite/worker_launcher.h"

namespace eofzero::suite::test {

class FakeLauncher : public WorkerLauncher {
 public:
  std::vector<std::string> log;                          // "start a", "terminate a", "kill a"
  std::map<std::string, std::vector<std::string>> argv;  // by name
  std::map<std::string, os::Error> start_errors;
  std::set<std::string> ignores_sigterm;
  std::map<std::string, os::ProcessResult> endings;  // the workers that have ended
  std::map<std::string, std::filesystem::path> logs;
  std::size_t running = 0, most_running = 0;
  Clock* clock = nullptr;  // when set, the time each worker ended
  std::map<std::string, Clock::TimePoint> ended_at;

  os::Result<std::unique_ptr<Worker>> Start(const std::vector<std::string>& args,
                                            const std::filesystem::path& log_path) override {
    const std::string name = log_path.stem().string();
    log.push_back("start " + name);
    if (auto it = start_errors.find(name); it != start_errors.end())
      return std::unexpected(it->second);
    argv[name] = args;
    logs[name] = log_path;
    std::ofstream(log_path) << "eofzero: info: " << name << " starts\n"
                            << "eofzero: info: " << name << " works\n";
    most_running = std::max(most_running, ++running);
    return std::make_unique<FakeWorker>(*this, name);
  }

  // Ends worker `name` with an exit code, or a signal.
  void End(const std::string& name, int exit_code, int signal = 0) {
    if (endings.contains(name)) return;
    os::ProcessResult r;
    r.exit_code = signal ? -1 : exit_code;
    r.term_signal = signal;
    endings[name] = r;
    if (clock) ended_at[name] = clock->Now();
    --running;
  }
  bool Ended(const std::string& name) const { return endings.contains(name); }

 private:
  class FakeWorker : public Worker {
   public:
    FakeWorker(FakeLauncher& owner, std::string name) : owner_(owner), name_(std::move(name)) {}
    std::optional<os::ProcessResult> Poll() override {
      auto it = owner_.endings.find(name_);
      if (it == owner_.endings.end()) return std::nullopt;
      return it->second;
    }
    void Terminate() override {
      owner_.log.push_back("terminate " + name_);
      if (!owner_.ignores_sigterm.contains(name_)) owner_.End(name_, -1, SIGTERM);
    }
    void Kill() override {
      owner_.log.push_back("kill " + name_);
      owner_.End(name_, -1, SIGKILL);
    }
    int Pid() const override { return 1000; }

   private:
    FakeLauncher& owner_;
    std::string name_;
  };
};

}  // namespace eofzero::suite::test
