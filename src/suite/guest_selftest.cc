#include "suite/guest_selftest.h"

#include <fmt/format.h>

#include <algorithm>

#include "report/selftest_json.h"
#include "suite/exit_status.h"
#include "suite/selftest.h"

namespace eofzero::suite {
namespace {

using oracles::Outcome;

constexpr std::pair<const char*, Outcome> kCellOutcomes[] = {
    {"yes", Outcome::kPass}, {"NO", Outcome::kFail}, {"skip", Outcome::kSkip}, {"?", Outcome::kError}};

Outcome OutcomeOfCell(const std::string& cell) {
  for (auto [c, o] : kCellOutcomes)
    if (cell == c) return o;
  return Outcome::kError;
}

std::string CellOfOutcome(Outcome outcome) {
  for (auto [c, o] : kCellOutcomes)
    if (outcome == o) return c;
  return "?";
}

}  // namespace

GuestPlan SelftestPlan(const std::vector<std::string>& filesystems, std::uint32_t block_size) {
  GuestPlan plan;
  plan.filesystems = filesystems;
  for (const auto& label : SelftestRowLabels()) plan.cases.push_back({label, block_size});
  return plan;
}

std::vector<std::vector<std::string>> SelftestRunArgs(const GuestPlan& plan,
                                                      const std::string& probe_case) {
  std::vector<std::vector<std::string>> out;
  for (const auto& config : plan.ConfigList()) {
    out.push_back({"--fs", config.fs, "--block-size", std::to_string(config.block_size)});
    if (!probe_case.empty()) out.back().insert(out.back().end(), {"--probe-case", probe_case});
  }
  return out;
}

std::expected<report::RunRecord, std::string> SelftestRunRecord(std::string_view json) {
  auto doc = report::SelftestFromJson(json);
  if (!doc) return std::unexpected(doc.error());
  if (!doc->error.empty()) return std::unexpected("the self-test could not start: " + doc->error);
  const auto& table = doc->table;
  report::RunRecord record;
  record.kernel = doc->kernel;
  record.command = "selftest";
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    report::ConfigRecord c;
    if (i < table.column_info.size()) {
      c.config.fs = table.column_info[i].fs;
      c.config.block_size = table.column_info[i].block_size;
      c.setup_error = table.column_info[i].setup_error;
    }
    for (const auto& row : table.rows) {
      report::CaseRecord r;
      r.case_name = row.label;
      r.outcome = OutcomeOfCell(row.cells[i]);
      r.summary = i < row.reasons.size() ? row.reasons[i] : "";
      if (r.outcome == Outcome::kSkip || r.outcome == Outcome::kError) r.reason = r.summary;
      r.detail = {{"control", row.control}, {"state", report::CellState(row.cells[i])}};
      c.cases.push_back(std::move(r));
    }
    record.configs.push_back(std::move(c));
  }
  return record;
}

report::SelftestTable KernelsSelftestTable(const report::RunRecord& record) {
  report::SelftestTable table;
  for (const auto& label : SelftestRowLabels()) table.rows.push_back({label, {}, "", {}});
  for (const auto& c : record.configs) {
    table.columns.push_back(c.config.name);
    table.column_info.push_back({c.config.fs, c.config.block_size, c.setup_error});
    for (auto& row : table.rows) {
      const auto it = std::ranges::find(c.cases, row.label, &report::CaseRecord::case_name);
      row.cells.push_back(it == c.cases.end() ? "?" : CellOfOutcome(it->outcome));
      row.reasons.push_back(it == c.cases.end() ? "not in the guest's report" : it->summary);
      if (it != c.cases.end() && row.control.empty() && it->detail.contains("control") &&
          it->detail["control"].is_string())
        row.control = it->detail["control"].get<std::string>();
    }
  }
  return table;
}

std::string RenderKernelsSelftest(const report::RunRecord& record, std::size_t configurations,
                                  unsigned parallel) {
  std::string out;
  for (const auto& c : record.configs) {
    if (!c.setup_error.empty()) {
      out += report::SetupFailedLine(c.config.name, c.setup_error);
      continue;
    }
    // Why a row did not show detection: each NO, and the ?s by their reason.
    std::vector<std::pair<std::string, int>> unknown;  // reason, rows
    for (const auto& r : c.cases) {
      if (r.outcome == Outcome::kFail)
        out += fmt::format("{}: {}: NO: {}\n", c.config.name, r.case_name, r.summary);
      if (r.outcome != Outcome::kError) continue;
      auto it = std::ranges::find(unknown, r.summary, &std::pair<std::string, int>::first);
      if (it == unknown.end()) unknown.emplace_back(r.summary, 1);
      else ++it->second;
    }
    for (const auto& [reason, rows] : unknown)
      out += fmt::format("{}: {} row{} ?: {}\n", c.config.name, rows, rows == 1 ? "" : "s", reason);
  }
  out += report::RenderSelftestTable(KernelsSelftestTable(record));
  out += fmt::format("kernels --selftest: {} configurations in {:.1f}s with -j {}", configurations,
                     record.seconds, parallel);
  if (record.interrupted_by) out += "; " + report::InterruptionSummary(record);
  return out + "\n";
}

std::string KernelsSelftestProgressLine(std::size_t n, std::size_t of,
                                        const report::ConfigRecord& config, double seconds) {
  int counts[4] = {};
  const char* names[4] = {"detected", "NOT detected", "skip", "?"};
  for (const auto& r : config.cases) {
    const std::string cell = CellOfOutcome(r.outcome);
    for (int k = 0; k < 4; ++k)
      if (cell == kCellOutcomes[k].first) ++counts[k];
  }
  std::string tally;
  for (int k = 0; k < 4; ++k)
    if (counts[k]) tally += fmt::format("{}{} {}", tally.empty() ? "" : ", ", counts[k], names[k]);
  return fmt::format("[{}/{}] {:<28} {:>7.1f}s  {}{}", n, of, config.config.name, seconds,
                     tally.empty() ? "no rows" : tally,
                     config.setup_error.empty() ? "" : "; " + config.setup_error);
}

int KernelsSelftestExitStatus(const report::RunRecord& record) {
  bool all_detected = !record.configs.empty(), setup_failed = false;
  for (const auto& c : record.configs) {
    if (!c.setup_error.empty()) setup_failed = true;
    for (const auto& r : c.cases)
      if (r.outcome != Outcome::kPass && r.outcome != Outcome::kSkip) all_detected = false;
  }
  all_detected &= !setup_failed;
  return all_detected ? kExitPass : setup_failed ? kExitToolError : kExitFail;
}

}  // namespace eofzero::suite
