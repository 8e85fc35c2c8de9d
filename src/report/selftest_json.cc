#include "report/selftest_json.h"

#include <nlohmann/json.hpp>

namespace eofzero::report {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::pair<const char*, const char*> kStates[] = {
    {"yes", "detected"}, {"NO", "not_detected"}, {"skip", "skip"}, {"?", "error"}};

// `key` of `object` as T, or `fallback` when it is missing; a wrong type is an
// error naming `where`.
template <typename T>
std::expected<T, std::string> Get(const Json& object, const char* key, const std::string& where,
                                  T fallback = {}) {
  if (!object.is_object()) return std::unexpected(where + ": not an object");
  auto it = object.find(key);
  if (it == object.end()) return fallback;
  try {
    return it->template get<T>();
  } catch (const nlohmann::json::exception&) {
    return std::unexpected(where + "." + key + ": not of the expected type");
  }
}

#define EOFZERO_GET(var, T, obj, key, where)                 \
  auto var##_got = Get<T>(obj, key, where);                  \
  if (!var##_got) return std::unexpected(var##_got.error()); \
  T var = std::move(*var##_got)

}  // namespace

std::string CellState(const std::string& cell) {
  for (auto [c, state] : kStates)
    if (cell == c) return state;
  return "";
}

std::string CellFromState(const std::string& state) {
  for (auto [c, s] : kStates)
    if (state == s) return c;
  return "";
}

std::string RenderSelftestJson(const SelftestDocument& doc) {
  Json columns = Json::array();
  for (std::size_t i = 0; i < doc.table.columns.size(); ++i) {
    const auto info = i < doc.table.column_info.size() ? doc.table.column_info[i]
                                                       : SelftestTable::Column{};
    columns.push_back({{"name", doc.table.columns[i]},
                       {"fs", info.fs},
                       {"block_size", info.block_size},
                       {"setup_error", info.setup_error}});
  }
  Json rows = Json::array();
  for (const auto& row : doc.table.rows) {
    Json cells = Json::array();
    for (std::size_t i = 0; i < row.cells.size(); ++i)
      cells.push_back({{"state", CellState(row.cells[i])},
                       {"reason", i < row.reasons.size() ? row.reasons[i] : ""}});
    rows.push_back({{"label", row.label}, {"control", row.control}, {"cells", cells}});
  }
  Json controls = Json::array();
  for (const auto& c : doc.controls)
    controls.push_back({{"column", c.column},
                        {"control", c.control},
                        {"outcome", c.outcome},
                        {"summary", c.summary}});
  Json body = {{"tool", doc.tool},
               {"kernel", doc.kernel},
               {"all_detected", doc.all_detected},
               {"setup_failed", doc.setup_failed},
               {"error", doc.error},
               {"columns", columns},
               {"rows", rows},
               {"controls", controls},
               {"notes", doc.notes}};
  return Json{{"selftest", body}}.dump(2) + "\n";
}

std::expected<SelftestDocument, std::string> SelftestFromJson(std::string_view text) {
  const Json all = Json::parse(text, nullptr, false);
  if (all.is_discarded()) return std::unexpected("the self-test's report is not JSON");
  if (!all.is_object() || !all.contains("selftest"))
    return std::unexpected("the self-test's report has no \"selftest\" object");
  const Json& top = all["selftest"];
  const std::string where = "selftest";
  SelftestDocument doc;
  EOFZERO_GET(tool, std::string, top, "tool", where);
  EOFZERO_GET(kernel, std::string, top, "kernel", where);
  EOFZERO_GET(all_detected, bool, top, "all_detected", where);
  EOFZERO_GET(setup_failed, bool, top, "setup_failed", where);
  EOFZERO_GET(error, std::string, top, "error", where);
  EOFZERO_GET(notes, std::vector<std::string>, top, "notes", where);
  doc.tool = tool;
  doc.kernel = kernel;
  doc.all_detected = all_detected;
  doc.setup_failed = setup_failed;
  doc.error = error;
  doc.notes = notes;
  EOFZERO_GET(columns, Json, top, "columns", where);
  if (!columns.is_null() && !columns.is_array())
    return std::unexpected(where + ".columns: not a list");
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const std::string at = where + ".columns[" + std::to_string(i) + "]";
    EOFZERO_GET(name, std::string, columns[i], "name", at);
    EOFZERO_GET(fs, std::string, columns[i], "fs", at);
    EOFZERO_GET(block_size, std::uint32_t, columns[i], "block_size", at);
    EOFZERO_GET(setup_error, std::string, columns[i], "setup_error", at);
    doc.table.columns.push_back(name);
    doc.table.column_info.push_back({fs, block_size, setup_error});
  }
  EOFZERO_GET(rows, Json, top, "rows", where);
  if (!rows.is_null() && !rows.is_array())
    return std::unexpected(where + ".rows: not a list");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const std::string at = where + ".rows[" + std::to_string(i) + "]";
    EOFZERO_GET(label, std::string, rows[i], "label", at);
    EOFZERO_GET(control, std::string, rows[i], "control", at);
    EOFZERO_GET(cells, Json, rows[i], "cells", at);
    if (!cells.is_null() && !cells.is_array()) return std::unexpected(at + ".cells: not a list");
    if (cells.size() != doc.table.columns.size())
      return std::unexpected(at + ": " + std::to_string(cells.size()) + " cells for " +
                             std::to_string(doc.table.columns.size()) + " columns");
    SelftestTable::Row row{label, {}, control, {}};
    for (std::size_t k = 0; k < cells.size(); ++k) {
      const std::string cell_at = at + ".cells[" + std::to_string(k) + "]";
      EOFZERO_GET(state, std::string, cells[k], "state", cell_at);
      EOFZERO_GET(reason, std::string, cells[k], "reason", cell_at);
      const std::string cell = CellFromState(state);
      if (cell.empty())
        return std::unexpected(cell_at + ".state: '" + state +
                               "' is not one of detected, not_detected, skip, error");
      row.cells.push_back(cell);
      row.reasons.push_back(reason);
    }
    doc.table.rows.push_back(std::move(row));
  }
  EOFZERO_GET(controls, Json, top, "controls", where);
  if (!controls.is_null() && !controls.is_array())
    return std::unexpected(where + ".controls: not a list");
  for (std::size_t i = 0; i < controls.size(); ++i) {
    const std::string at = where + ".controls[" + std::to_string(i) + "]";
    EOFZERO_GET(column, std::string, controls[i], "column", at);
    EOFZERO_GET(control, std::string, controls[i], "control", at);
    EOFZERO_GET(outcome, std::string, controls[i], "outcome", at);
    EOFZERO_GET(summary, std::string, controls[i], "summary", at);
    doc.controls.push_back({column, control, outcome, summary});
  }
  return doc;
}

#undef EOFZERO_GET

void SelftestRecorder::RunFailed(const std::string& error) {
  doc_.error = error;
  if (also_) also_->RunFailed(error);
}

void SelftestRecorder::SetupFailed(const std::string& column, const std::string& error) {
  doc_.notes.push_back(SetupFailedLine(column, error));
  doc_.notes.back().pop_back();
  if (also_) also_->SetupFailed(column, error);
}

void SelftestRecorder::ControlDone(const std::string& column, const std::string& control,
                                   const oracles::Verdict& verdict) {
  doc_.controls.push_back({column, control, oracles::OutcomeName(verdict.outcome), verdict.summary});
  if (also_) also_->ControlDone(column, control, verdict);
}

void SelftestRecorder::BaselineFailed(const std::string& column, const std::string& baseline) {
  doc_.notes.push_back(BaselineFailedLine(column, baseline));
  doc_.notes.back().pop_back();
  if (also_) also_->BaselineFailed(column, baseline);
}

void SelftestRecorder::Finish(const SelftestTable& table) {
  doc_.table = table;
  if (also_) also_->Finish(table);
}

}  // namespace eofzero::report
