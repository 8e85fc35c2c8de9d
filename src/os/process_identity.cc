#include "os/process_identity.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace eofzero::os {
namespace {

std::optional<std::string> FirstLineOf(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  return line;
}

std::optional<ProcStat> StatOf(pid_t pid) {
  auto line = FirstLineOf("/proc/" + std::to_string(pid) + "/stat");
  if (!line) return std::nullopt;
  return ParseProcStat(*line);
}

std::string BootId() { return FirstLineOf("/proc/sys/kernel/random/boot_id").value_or(""); }

}  // namespace

std::optional<ProcStat> ParseProcStat(std::string_view line) {
  const auto close = line.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  // After the name: state (field 3), then fields 4..52; start time is 22.
  std::istringstream rest{std::string(line.substr(close + 1))};
  ProcStat stat;
  std::string field;
  if (!(rest >> stat.state)) return std::nullopt;
  for (int n = 4; n <= 22; ++n)
    if (!(rest >> field)) return std::nullopt;
  auto [p, ec] = std::from_chars(field.data(), field.data() + field.size(), stat.start_ticks);
  if (ec != std::errc() || p != field.data() + field.size()) return std::nullopt;
  return stat;
}

Result<ProcessIdentity> IdentityOf(pid_t pid) {
  auto stat = StatOf(pid);
  if (!stat) return Fail(ErrorKind::kSystem, "read /proc/" + std::to_string(pid) + "/stat");
  const std::string boot = BootId();
  if (boot.empty()) return Fail(ErrorKind::kSystem, "read /proc/sys/kernel/random/boot_id");
  return ProcessIdentity{pid, stat->start_ticks, boot};
}

bool IsRunning(const ProcessIdentity& who) {
  if (who.boot_id != BootId()) return false;
  auto stat = StatOf(who.pid);
  return stat && stat->start_ticks == who.start_ticks && stat->state != 'Z' && stat->state != 'X';
}

}  // namespace eofzero::os
