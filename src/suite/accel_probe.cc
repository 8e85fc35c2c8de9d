#include "suite/accel_probe.h"

#include <fstream>
#include <iterator>

#include "guest/initramfs.h"

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
  auto worker = launcher.Start(guest::QemuArgv(probe), log);
  if (!worker)
    return {{guest::Accel::kTcg, "QEMU did not start: " + worker.error().Message()}, true, false};
  const auto started = clock.Now();
  bool timed_out = false;
  std::optional<os::ProcessResult> ended;
  while (!(ended = (*worker)->Poll())) {
    if (interrupt()) {
      (*worker)->Kill();
      while (!(*worker)->Poll()) clock.SleepFor(std::chrono::milliseconds(10));
      return {{guest::Accel::kTcg, "interrupted"}, false, false};
    }
    if (clock.Now() - started >= options.timeout) {
      timed_out = true;
      (*worker)->Kill();
      while (!(ended = (*worker)->Poll())) clock.SleepFor(std::chrono::milliseconds(10));
      break;
    }
    clock.SleepFor(std::chrono::milliseconds(50));
  }
  const auto decision = guest::JudgeProbe(SaidBooted(probe.console), timed_out, options.timeout,
                                          ended->Ending(), guest::ConsoleTail(log, 3));
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
