#include "suite/guest_records.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace eofzero::suite {
namespace {

std::string Label(const report::GuestInfo& guest) {
  return guest.release.empty() ? guest.kernel : guest.release;
}

std::string OneLine(const std::string& tail) {
  std::string out;
  std::istringstream lines(tail);
  for (std::string line; std::getline(lines, line);) out += (out.empty() ? "" : " | ") + line;
  return out;
}

std::set<std::uint32_t> BlockSizes(const GuestPlan& plan) {
  std::set<std::uint32_t> sizes;
  for (const auto& c : plan.cases) sizes.insert(c.block_size);
  return sizes;
}

}  // namespace

std::size_t GuestPlan::Configurations() const {
  return filesystems.size() * BlockSizes(*this).size();
}

std::vector<report::ConfigRecord> GuestRecords(const GuestOutcome& outcome, const GuestPlan& plan) {
  std::vector<report::ConfigRecord> out;
  const std::string label = Label(outcome.guest);
  if (outcome.report) {
    for (auto c : outcome.report->configs) {
      c.config.name = label + ":" + c.config.Short();
      c.guest = outcome.guest;
      out.push_back(std::move(c));
    }
    return out;
  }
  const std::string why = "kernel " + outcome.guest.kernel + ": " + outcome.why_no_report;
  for (const auto& fs : plan.filesystems) {
    for (auto block_size : BlockSizes(plan)) {
      report::ConfigRecord c;
      c.config.fs = fs;
      c.config.block_size = block_size;
      c.config.name = label + ":" + c.config.Short();
      c.setup_error =
          why + (outcome.console_tail.empty() ? "" : "; console: " + OneLine(outcome.console_tail));
      c.guest = outcome.guest;
      for (const auto& planned : plan.cases)
        if (planned.block_size == block_size)
          c.cases.push_back(report::NotRunRecord(planned.name, why));
      out.push_back(std::move(c));
    }
  }
  return out;
}

std::string WhyNoReport(const std::string& console_tail, bool timed_out, int timeout_seconds,
                        const std::string& qemu_ending, const std::string& qemu_output) {
  const std::string said = OneLine(qemu_output);
  const std::string qemu_said = said.empty() ? "" : " (QEMU: " + said + ")";
  std::istringstream lines(console_tail);
  for (std::string line; std::getline(lines, line);)
    if (line.find("Kernel panic") != std::string::npos)
      return "the guest panicked: " + line.substr(line.find("Kernel panic")) + qemu_said;
  if (timed_out)
    return "the guest did not finish within " + std::to_string(timeout_seconds) +
           "s and was killed" + qemu_said;
  return "the guest wrote no report (QEMU " + qemu_ending + (said.empty() ? "" : ": " + said) +
         ")";
}

report::RunRecord MergeReports(const std::vector<report::RunRecord>& shards) {
  report::RunRecord merged;
  for (const auto& shard : shards) {
    if (merged.kernel.empty()) merged.kernel = shard.kernel;
    if (merged.started.empty() || (!shard.started.empty() && shard.started < merged.started))
      merged.started = shard.started;
    merged.seconds = std::max(merged.seconds, shard.seconds);
    if (!merged.interrupted_by) merged.interrupted_by = shard.interrupted_by;
    merged.configs.insert(merged.configs.end(), shard.configs.begin(), shard.configs.end());
  }
  return merged;
}

}  // namespace eofzero::suite
