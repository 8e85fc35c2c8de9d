#include "suite/accel_probe.h"

#include <fstream>
#include <iterator>

#include "guest/initramfs.h"
#include "suite/worker_pool.h"

namespace eofzero::suite {
namespace {

namespace fs = std::filesystem;

bool SaidBooted(const fs::path& console) {
  std::ifstream in(console, std::ios::binary);
  for (std::string line; std::getline(in, line);)
    if (line.find(guest::kBootedMark) != std::string::npos) return true;
  return false;
}

guest::AccelProbeKey KeyFor(const AccelProbeOptions& options, const fs::path& kernel) {
  guest::AccelProbeKey key{options.host_release, options.qemu_version, kernel.string(), 0, 0};
  std::error_code ec;
  key.kernel_bytes = fs::file_size(kernel, ec);
  if (ec) key.kernel_bytes = 0;
  const auto mtime = fs::last_write_time(kernel, ec);
  if (!ec)
    key.kernel_mtime_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                              std::chrono::file_clock::to_sys(mtime).time_since_epoch())
                              .count();
  return key;
}

}  // namespace

AccelChoice ChooseAccel(const AccelProbeOptions& options, const guest::GuestMachine& machine,
                        const fs::path& dir, WorkerLauncher& launcher, Clock& clock,
                        const InterruptPoll& interrupt) {
  if (!options.try_kvm) return {{guest::Accel::kTcg, ""}, false, false};
  if (!options.kvm_unusable.empty())
    return {{guest::Accel::kTcg, options.kvm_unusable}, false, false};
  const auto key = KeyFor(options, machine.kernel);
  const fs::path cached = options.cache.empty() ? fs::path() : options.cache / key.FileName();
  if (!cached.empty()) {
    std::ifstream in(cached, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (auto decision = guest::ParseAccelCache(text, key)) return {*decision, true, true};
  }
  auto probe = guest::ProbeMachine(machine);
  probe.console = dir / "probe-console.log";
  const fs::path log = dir / "probe-qemu.log";
  std::error_code ec;
  fs::remove(probe.console, ec);
  PoolConfig pool;
  pool.grace = std::chrono::seconds(0);  // an interrupt kills it at once
  pool.timeout = options.timeout;
  const auto outcome =
      RunWorkers({{guest::QemuArgv(probe), log}}, pool, launcher, clock, interrupt).front();
  if (const auto* failed = std::get_if<StartFailure>(&outcome))
    return {{guest::Accel::kTcg, "QEMU did not start: " + failed->error.Message()}, true, false};
  const auto* ended = std::get_if<WorkerEnding>(&outcome);
  if (!ended || ended->interrupted_by) return {{guest::Accel::kTcg, "interrupted"}, false, false};
  const bool timed_out = ended->timed_out;
  const auto decision = guest::JudgeProbe(SaidBooted(probe.console), timed_out, options.timeout,
                                          ended->result.Ending(), guest::ConsoleTail(log, 3));
  if (!cached.empty()) {
    fs::create_directories(options.cache, ec);
    const fs::path temporary =
        cached.string() + ".new" + std::to_string(clock.Now().time_since_epoch().count());
    std::ofstream(temporary, std::ios::binary | std::ios::trunc)
        << guest::FormatAccelCache(key, decision);
    fs::rename(temporary, cached, ec);
  }
  return {decision, true, false};
}

}  // namespace eofzero::suite
