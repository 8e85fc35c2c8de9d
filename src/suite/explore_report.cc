#include "suite/explore_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "suite/exit_status.h"

namespace eofzero::suite {
namespace {

using json = nlohmann::ordered_json;

// Rows as left-aligned columns, the first row the header.
std::string Columns(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], row[i].size());
    }
  std::string out;
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i)
      line += i + 1 == row.size() ? row[i] : fmt::format("{:<{}}  ", row[i], width[i]);
    out += line + "\n";
  }
  return out;
}

// "new", or the first catalog cases of the same shape ("a, b +3").
std::string CatalogCell(const std::vector<std::string>& cases) {
  constexpr std::size_t kShown = 2;
  if (cases.empty()) return "new";
  std::string out;
  for (std::size_t i = 0; i < cases.size() && i < kShown; ++i) out += (i ? ", " : "") + cases[i];
  if (cases.size() > kShown) out += fmt::format(" +{}", cases.size() - kShown);
  return out;
}

bool AnyKernel(const std::vector<FindingRow>& rows) {
  return std::any_of(rows.begin(), rows.end(), [](const auto& r) { return !r.kernel.empty(); });
}

std::vector<std::vector<std::string>> TableRows(const std::vector<FindingRow>& findings) {
  const bool kernels = AnyKernel(findings);
  std::vector<std::string> header = {"configuration", "finding",    "runs",
                                     "crash",         "reproduced", "catalog",
                                     "reduced workload"};
  if (kernels) header.insert(header.begin(), "kernel");
  std::vector<std::vector<std::string>> rows = {header};
  for (const auto& f : findings) {
    std::vector<std::string> row = {
        f.config, f.finding + (f.after_crash ? " after the crash" : " before the crash"),
        std::to_string(f.runs), f.crash, fmt::format("{}/{}", f.confirmed, f.confirm),
        CatalogCell(f.covered_by), f.reduced_workload};
    if (kernels) row.insert(row.begin(), f.kernel);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string TotalsLine(const ExploreReport& r) {
  const ExploreCounts& t = r.totals;
  return fmt::format(
      "{} runs: {} passed, {} failed, {} skipped, {} errors in {:.1f}s; reducing took {:.1f}s\n",
      t.runs, t.passed, t.failed, t.skipped, t.errors, t.run_seconds, r.reduce_seconds);
}

json CountsJson(const ExploreCounts& c) {
  return {{"runs", c.runs},       {"passed", c.passed}, {"failed", c.failed},
          {"skipped", c.skipped}, {"errors", c.errors}, {"run_seconds", c.run_seconds}};
}

// A member of the wanted type; a missing or null one is `fallback`.
template <typename T>
T Get(const json& o, const char* key, T fallback, std::string& error, const std::string& where) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return fallback;
  try {
    return it->get<T>();
  } catch (const json::exception&) {
    if (error.empty()) error = where + "\"" + key + "\" has the wrong type";
    return fallback;
  }
}

ExploreCounts CountsOf(const json& o, std::string& error, const std::string& where) {
  ExploreCounts c;
  c.runs = Get<std::uint64_t>(o, "runs", 0, error, where);
  c.passed = Get<std::uint64_t>(o, "passed", 0, error, where);
  c.failed = Get<std::uint64_t>(o, "failed", 0, error, where);
  c.skipped = Get<std::uint64_t>(o, "skipped", 0, error, where);
  c.errors = Get<std::uint64_t>(o, "errors", 0, error, where);
  c.run_seconds = Get<double>(o, "run_seconds", 0, error, where);
  return c;
}

std::string ShardText(const json& shard) {
  if (!shard.is_object()) return "no shard";
  return fmt::format("shard {}/{}", shard.value("index", 0), shard.value("count", 0));
}

}  // namespace

ExploreCounts& ExploreCounts::operator+=(const ExploreCounts& o) {
  runs += o.runs;
  passed += o.passed;
  failed += o.failed;
  skipped += o.skipped;
  errors += o.errors;
  run_seconds += o.run_seconds;
  return *this;
}

json ToJson(const ExploreReport& r) {
  json doc;
  doc["command"] = "explore";
  doc["tool_version"] = r.tool_version;
  doc["tool_commit"] = r.tool_commit;
  doc["kernel"] = r.kernel;
  doc["options"] = r.options;
  doc["configs"] = json::array();
  for (const auto& c : r.configs) {
    json o = {{"config", c.config},
              {"fs", c.fs},
              {"block_size", c.block_size},
              {"mkfs_options", c.mkfs_options},
              {"mount_options", c.mount_options},
              {"mkfs_command", c.mkfs_command}};
    o.update(CountsJson(c.counts));
    o["error"] = c.error;
    doc["configs"].push_back(std::move(o));
  }
  doc["totals"] = CountsJson(r.totals);
  doc["totals"]["reduce_seconds"] = r.reduce_seconds;
  doc["findings"] = json::array();
  for (const auto& f : r.findings) {
    json o = {{"config", f.config},
              {"finding", f.finding},
              {"after_crash", f.after_crash},
              {"ops", f.ops},
              {"distance", f.distance},
              {"runs", f.runs},
              {"crash", f.crash},
              {"reduced_case", f.reduced_case},
              {"reduced_workload", f.reduced_workload},
              {"case_text", f.case_text},
              {"confirmed", f.confirmed},
              {"confirm", f.confirm},
              {"reduce_seconds", f.reduce_seconds},
              {"covered_by", f.covered_by}};
    if (!f.kernel.empty()) o["kernel"] = f.kernel;
    doc["findings"].push_back(std::move(o));
  }
  doc["problems"] = r.problems;
  doc["interrupted"] = r.signal != 0;
  if (r.signal != 0) doc["signal"] = r.signal;
  return doc;
}

bool IsExploreReport(const json& doc) {
  return doc.is_object() && doc.contains("command") && doc["command"] == "explore";
}

std::expected<ExploreReport, std::string> ExploreReportFromJson(const json& doc) {
  if (!IsExploreReport(doc)) return std::unexpected("not an explore report (no \"command\": \"explore\")");
  for (const char* key : {"options", "totals"})
    if (!doc.contains(key) || !doc[key].is_object())
      return std::unexpected(std::string("\"") + key + "\" is missing or not an object");
  for (const char* key : {"configs", "findings"})
    if (!doc.contains(key) || !doc[key].is_array())
      return std::unexpected(std::string("\"") + key + "\" is missing or not a list");
  std::string error;
  ExploreReport r;
  r.tool_version = Get<std::string>(doc, "tool_version", "", error, "");
  r.tool_commit = Get<std::string>(doc, "tool_commit", "", error, "");
  r.kernel = Get<std::string>(doc, "kernel", "", error, "");
  r.options = doc["options"];
  for (std::size_t i = 0; i < doc["configs"].size(); ++i) {
    const json& c = doc["configs"][i];
    const std::string where = fmt::format("configs[{}]: ", i);
    if (!c.is_object()) return std::unexpected(where + "not an object");
    ExploreConfigRow row;
    row.config = Get<std::string>(c, "config", "", error, where);
    if (row.config.empty() && error.empty()) error = where + "no \"config\"";
    row.fs = Get<std::string>(c, "fs", "", error, where);
    row.block_size = Get<std::uint32_t>(c, "block_size", 0, error, where);
    row.mkfs_options = Get<std::string>(c, "mkfs_options", "", error, where);
    row.mount_options = Get<std::string>(c, "mount_options", "", error, where);
    row.mkfs_command = Get<std::string>(c, "mkfs_command", "", error, where);
    row.counts = CountsOf(c, error, where);
    row.error = Get<std::string>(c, "error", "", error, where);
    r.configs.push_back(std::move(row));
  }
  r.totals = CountsOf(doc["totals"], error, "totals: ");
  r.reduce_seconds = Get<double>(doc["totals"], "reduce_seconds", 0, error, "totals: ");
  for (std::size_t i = 0; i < doc["findings"].size(); ++i) {
    const json& f = doc["findings"][i];
    const std::string where = fmt::format("findings[{}]: ", i);
    if (!f.is_object()) return std::unexpected(where + "not an object");
    FindingRow row;
    row.kernel = Get<std::string>(f, "kernel", "", error, where);
    row.config = Get<std::string>(f, "config", "", error, where);
    row.finding = Get<std::string>(f, "finding", "", error, where);
    if ((row.config.empty() || row.finding.empty()) && error.empty())
      error = where + "no \"config\" or \"finding\"";
    row.after_crash = Get<bool>(f, "after_crash", true, error, where);
    row.ops = Get<std::vector<std::string>>(f, "ops", {}, error, where);
    row.distance = Get<std::string>(f, "distance", "-", error, where);
    row.runs = Get<std::uint64_t>(f, "runs", 0, error, where);
    row.crash = Get<std::string>(f, "crash", "", error, where);
    row.reduced_case = Get<std::string>(f, "reduced_case", "", error, where);
    row.reduced_workload = Get<std::string>(f, "reduced_workload", "", error, where);
    row.case_text = Get<std::string>(f, "case_text", "", error, where);
    row.confirmed = Get<int>(f, "confirmed", 0, error, where);
    row.confirm = Get<int>(f, "confirm", 0, error, where);
    row.reduce_seconds = Get<double>(f, "reduce_seconds", 0, error, where);
    row.covered_by = Get<std::vector<std::string>>(f, "covered_by", {}, error, where);
    r.findings.push_back(std::move(row));
  }
  r.problems = Get<std::vector<std::string>>(doc, "problems", {}, error, "");
  const bool interrupted = Get<bool>(doc, "interrupted", false, error, "");
  r.signal = Get<int>(doc, "signal", 0, error, "");
  if (interrupted && r.signal == 0) r.signal = 2;  // SIGINT, when the report does not say
  if (!interrupted) r.signal = 0;
  if (!error.empty()) return std::unexpected(error);
  return r;
}

std::string RenderFindings(const std::vector<FindingRow>& findings) {
  if (findings.empty()) return "no findings\n";
  return fmt::format("{} finding{} (one row per signature):\n", findings.size(),
                     findings.size() == 1 ? "" : "s") +
         Columns(TableRows(findings));
}

std::string RenderExploreSummary(const ExploreReport& r) {
  std::string out = RenderFindings(r.findings);
  for (const auto& p : r.problems) out += "problem: " + p + "\n";
  return out + "\n" + TotalsLine(r);
}

std::string RenderExploreMarkdown(const ExploreReport& r) {
  std::string out = "## eofzero explore\n\n";
  if (r.findings.empty()) {
    out += "No findings.\n";
  } else {
    const auto rows = TableRows(r.findings);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      out += "|";
      for (const auto& cell : rows[i]) {
        std::string escaped;
        for (char ch : cell) escaped += ch == '|' ? std::string("\\|") : std::string(1, ch);
        out += " " + escaped + " |";
      }
      out += "\n";
      if (i == 0) {
        out += "|";
        for (std::size_t k = 0; k < rows[i].size(); ++k) out += " --- |";
        out += "\n";
      }
    }
  }
  out += "\n";
  for (const auto& p : r.problems) out += "- problem: " + p + "\n";
  return out + "\n" + TotalsLine(r);
}

std::string RenderExploreReport(const ExploreReport& r, report::ReportFormat format) {
  switch (format) {
    case report::ReportFormat::kJson:
      return ToJson(r).dump(2) + "\n";
    case report::ReportFormat::kMarkdown:
      return RenderExploreMarkdown(r);
    default:
      return RenderExploreSummary(r);
  }
}

std::vector<FindingRow> MergeRows(std::vector<FindingRow> rows) {
  std::vector<FindingRow> out;
  for (auto& row : rows) {
    auto same = std::find_if(out.begin(), out.end(),
                             [&](const FindingRow& o) { return o.Key() == row.Key(); });
    if (same != out.end()) {
      same->runs += row.runs;
      continue;
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::expected<ExploreReport, std::string> MergeExploreReports(
    const std::vector<std::pair<std::string, ExploreReport>>& shards) {
  if (shards.empty()) return std::unexpected("no report to merge");
  const auto& [first_file, first] = shards.front();
  json first_options = first.options;
  const json first_shard = first_options.value("shard", json());
  first_options.erase("shard");
  std::map<std::size_t, std::string> seen;  // shard index -> its file
  std::size_t count = 0;
  for (const auto& [file, r] : shards) {
    json options = r.options;
    const json shard = options.value("shard", json());
    options.erase("shard");
    if (options != first_options)
      return std::unexpected(first_file + " and " + file +
                             " are explorations with different options: not the shards of one");
    if (!shard.is_object() || !shard.contains("index") || !shard.contains("count"))
      return std::unexpected(file + " is no shard (explore --shard K/M): only shards merge");
    const std::size_t index = shard.value("index", std::size_t{0});
    const std::size_t of = shard.value("count", std::size_t{0});
    if (count == 0) count = of;
    if (of != count)
      return std::unexpected(first_file + " is " + ShardText(first_shard) + ", " + file + " " +
                             ShardText(shard) + ": not the slices of one exploration");
    if (auto [it, fresh] = seen.emplace(index, file); !fresh)
      return std::unexpected(it->second + " and " + file + " are both " + ShardText(shard) +
                             ": each slice once");
  }
  for (std::size_t k = 1; k <= count; ++k)
    if (!seen.contains(k))
      return std::unexpected(fmt::format("shard {}/{} is missing: merge every slice", k, count));
  ExploreReport merged = first;
  merged.options = first_options;
  merged.options["shard"] = nullptr;
  merged.configs.clear();
  merged.totals = {};
  merged.reduce_seconds = 0;
  merged.findings.clear();
  merged.problems.clear();
  merged.signal = 0;
  for (const auto& [file, r] : shards) {
    for (const auto& c : r.configs) {
      auto same = std::find_if(merged.configs.begin(), merged.configs.end(),
                               [&](const auto& m) { return m.config == c.config; });
      if (same == merged.configs.end()) {
        merged.configs.push_back(c);
        continue;
      }
      same->counts += c.counts;
      if (same->error.empty()) same->error = c.error;
    }
    merged.totals += r.totals;
    merged.reduce_seconds += r.reduce_seconds;
    merged.findings.insert(merged.findings.end(), r.findings.begin(), r.findings.end());
    for (const auto& p : r.problems) merged.problems.push_back(file + ": " + p);
    if (merged.signal == 0) merged.signal = r.signal;
  }
  merged.findings = MergeRows(std::move(merged.findings));
  return merged;
}

int ExploreReportExitStatus(const ExploreReport& r) {
  if (r.signal != 0) return 128 + r.signal;
  if (!r.findings.empty() || r.totals.failed > 0) return kExitFail;
  if (r.totals.errors > 0 || !r.problems.empty()) return kExitToolError;
  return kExitPass;
}

}  // namespace eofzero::suite
