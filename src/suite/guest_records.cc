#include "suite/guest_records.h"

#include <algorithm>
#include <map>
#include <optional>
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

std::vector<GuestConfig> GuestPlan::ConfigList() const {
  std::vector<GuestConfig> out;
  for (const auto& fs : filesystems)
    for (auto block_size : BlockSizes(*this)) out.push_back({fs, block_size});
  return out;
}

std::vector<std::string> GuestPlan::RunArgs(const GuestConfig& config) const {
  std::string names;
  for (const auto& c : cases)
    if (c.block_size == config.block_size) names += (names.empty() ? "" : ",") + c.name;
  return {"--fs", config.fs, "--block-size", std::to_string(config.block_size), "--case", names};
}

std::vector<std::vector<std::string>> GuestPlan::AllRunArgs() const {
  std::vector<std::vector<std::string>> out;
  for (const auto& config : ConfigList()) out.push_back(RunArgs(config));
  return out;
}

namespace {

// The ERROR row of a configuration whose run wrote no report.
report::ConfigRecord NotRunConfig(const GuestOutcome& outcome, const GuestPlan& plan,
                                  const GuestConfig& config, const std::string& label) {
  const std::string why = "kernel " + outcome.guest.kernel + ": " + outcome.why_no_report;
  report::ConfigRecord c;
  c.config.fs = config.fs;
  c.config.block_size = config.block_size;
  c.config.name = label + ":" + c.config.Short();
  c.setup_error =
      why + (outcome.console_tail.empty() ? "" : "; console: " + OneLine(outcome.console_tail));
  c.guest = outcome.guest;
  for (const auto& planned : plan.cases)
    if (planned.block_size == config.block_size)
      c.cases.push_back(report::NotRunRecord(planned.name, why));
  return c;
}

}  // namespace

std::vector<report::ConfigRecord> GuestRecords(const GuestOutcome& outcome, const GuestPlan& plan,
                                               const std::vector<std::size_t>& runs) {
  const auto configs = plan.ConfigList();
  const std::string label = Label(outcome.guest);
  std::vector<std::pair<std::size_t, report::ConfigRecord>> rows;  // ConfigList index first
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const std::size_t index = runs[i];
    if (index >= configs.size()) continue;
    if (i < outcome.reports.size() && outcome.reports[i]) {
      for (auto c : outcome.reports[i]->configs) {
        c.config.name = label + ":" + c.config.Short();
        c.guest = outcome.guest;
        rows.emplace_back(index, std::move(c));
      }
      continue;
    }
    rows.emplace_back(index, NotRunConfig(outcome, plan, configs[index], label));
  }
  std::ranges::stable_sort(rows, {}, &std::pair<std::size_t, report::ConfigRecord>::first);
  std::vector<report::ConfigRecord> out;
  for (auto& [index, row] : rows) out.push_back(std::move(row));
  return out;
}

std::vector<report::ConfigRecord> GuestRecords(const GuestOutcome& outcome, const GuestPlan& plan) {
  std::vector<std::size_t> all(plan.Configurations());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  return GuestRecords(outcome, plan, all);
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

namespace {

std::string SliceText(const report::RunRecord::Shard& s) {
  return std::to_string(s.index) + "/" + std::to_string(s.count);
}

// Why these reports are not the shards of one run, or nothing.
std::optional<std::string> NotOneRun(const std::vector<NamedReport>& shards) {
  const NamedReport& first = shards.front();
  const std::string kind = report::ReportKind(first.record);
  std::map<std::string, const NamedReport*> columns;  // configuration label -> its report
  std::map<std::size_t, const NamedReport*> slices;   // shard index -> its report
  for (const auto& s : shards) {
    if (const std::string k = report::ReportKind(s.record); k != kind)
      return first.file + " is a " + kind + " report, " + s.file + " a " + k +
             " report: only reports of one kind merge";
    if (s.record.shard.has_value() != first.record.shard.has_value()) {
      const NamedReport& shard = s.record.shard ? s : first;
      const NamedReport& whole = s.record.shard ? first : s;
      return shard.file + " is shard " + SliceText(*shard.record.shard) + " of a run, " +
             whole.file + " is no shard: not the slices of one run";
    }
    if (s.record.shard) {
      const auto& a = *first.record.shard;
      const auto& b = *s.record.shard;
      if (a.count != b.count || a.of != b.of)
        return first.file + " is shard " + SliceText(a) + " of '" + a.of + "', " + s.file +
               " shard " + SliceText(b) + " of '" + b.of + "': not the slices of one run";
      if (auto [it, fresh] = slices.emplace(b.index, &s); !fresh)
        return it->second->file + " and " + s.file + " are both shard " + SliceText(b) +
               ": each slice once";
    }
    for (const auto& c : s.record.configs)
      if (auto [it, fresh] = columns.emplace(c.config.Label(), &s); !fresh)
        return "configuration " + c.config.Label() + " is in both " + it->second->file +
               " and " + s.file + ": the same results twice";
  }
  if (first.record.shard)
    for (std::size_t k = 1; k <= first.record.shard->count; ++k)
      if (!slices.contains(k))
        return "shard " + std::to_string(k) + "/" + std::to_string(first.record.shard->count) +
               " of '" + first.record.shard->of + "' is missing: merge every slice";
  return std::nullopt;
}

}  // namespace

std::expected<report::RunRecord, std::string> MergeReports(const std::vector<NamedReport>& shards) {
  if (shards.empty()) return std::unexpected("no report to merge");
  if (auto why = NotOneRun(shards)) return std::unexpected(*why);
  report::RunRecord merged;
  merged.command = report::ReportKind(shards.front().record);
  for (const auto& [file, shard] : shards) {
    if (merged.kernel.empty()) merged.kernel = shard.kernel;
    if (merged.started.empty() || (!shard.started.empty() && shard.started < merged.started))
      merged.started = shard.started;
    merged.seconds = std::max(merged.seconds, shard.seconds);
    if (!merged.interrupted_by) merged.interrupted_by = shard.interrupted_by;
    if (!merged.sweep) merged.sweep = shard.sweep;
    merged.configs.insert(merged.configs.end(), shard.configs.begin(), shard.configs.end());
  }
  return merged;
}

}  // namespace eofzero::suite
