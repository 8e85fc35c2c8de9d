#include "report/json_report.h"

#include <cmath>

#include "os/file_io.h"
#include "os/process.h"
#include "report/standing.h"

namespace eofzero::report {
namespace {

using json = nlohmann::ordered_json;

// Milliseconds are enough, and keep the report readable.
double Rounded(double seconds) { return std::round(seconds * 1000) / 1000; }

json Range(const ByteRange& r) { return json::array({r.begin, r.end}); }

json ExtentJson(const os::Extent& e) {
  return {{"logical", e.logical},
          {"physical", e.physical},
          {"length", e.length},
          {"flags", os::ExtentFlagNames(e.flags)}};
}

json OracleJson(const oracles::OracleResult& r, const engine::BlockView& view) {
  json dirty = json::array();
  for (const auto& d : r.finding.dirty) dirty.push_back(Range(d));
  json o = {{"oracle", engine::OracleName(r.oracle)},
            {"phase", engine::PhaseName(r.phase)},
            {"clean", r.finding.clean()},
            {"gap", Range(r.finding.gap)},
            {"bytes_examined", r.finding.bytes_examined},
            {"nonzero", r.finding.nonzero},
            {"sentinel", r.finding.sentinel},
            {"dirty", dirty},
            {"base_offset", view.base_offset},
            {"note", view.note}};
  o["file_size"] = view.file_size ? json(*view.file_size) : json(nullptr);
  return o;
}

json FsckJson(const oracles::FsckResult& f) {
  json o = {{"tool", oracles::FsckProgramOf(f.fs)},
            {"verdict", oracles::FsckVerdictName(f.verdict)},
            {"reason", f.reason},
            {"command", f.run.CommandLine()},
            {"exit_code", f.run.exit_code},
            {"signal", f.run.term_signal}};
  if (f.verdict == oracles::FsckVerdict::kCorrupt || f.verdict == oracles::FsckVerdict::kToolError)
    o["output"] = f.run.out + f.run.err;
  return o;
}

json ViewJson(const engine::DiskView& view, const oracles::FsckResult& fsck) {
  return {{"source", view.source}, {"how", view.how}, {"fsck", FsckJson(fsck)}};
}

// Both views of the disk after the crash; their fsck runs in full only when
// they disagree (the evidence of the finding).
json DiskViewsJson(const engine::DiskViews& views, const oracles::Verdict& verdict) {
  const auto classified = [](const engine::FsckObservation& f) {
    return f.run ? oracles::ClassifyFsck(f.fs, *f.run)
                 : oracles::FsckNotRun(f.fs, f.not_run.value_or(os::Error{}));
  };
  json o = {{"kernel", ViewJson(views.kernel, classified(views.kernel.fsck))}};
  o["disk"] = views.disk ? ViewJson(*views.disk, classified(views.disk->fsck)) : json(nullptr);
  o["unavailable"] = views.unavailable;
  o["extra_seconds"] = Rounded(views.extra_seconds);
  o["agree"] = views.disk && !verdict.views;
  if (verdict.views) {
    o["kernel"]["fsck"]["output"] =
        verdict.views->kernel_fsck.run.out + verdict.views->kernel_fsck.run.err;
    o["disk"]["fsck"]["output"] =
        verdict.views->disk_fsck.run.out + verdict.views->disk_fsck.run.err;
  }
  o["differences"] = verdict.views ? verdict.views->differences : std::vector<std::string>{};
  o["metadata_tool"] = verdict.views ? verdict.views->metadata_tool : "";
  o["metadata_diff"] = verdict.views ? verdict.views->metadata_diff : std::vector<std::string>{};
  return o;
}

template <typename T>
json Optional(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json SweepTupleJson(const CaseRecord::SweepTuple& t) {
  return {{"case", t.base},
          {"primitive", t.primitive},
          {"crash", t.crash},
          {"point", t.point},
          {"distance", t.distance},
          {"iteration", t.iteration},
          {"code", std::string(1, t.code)},
          {"rerun", t.rerun}};
}

// `doc` with what says which command made the report, which shard it is,
// and a sweep's axes.
json WithRunFields(const RunRecord& record, json doc) {
  doc["command"] = ReportKind(record);
  doc["shard"] = record.shard ? json{{"index", record.shard->index},
                                     {"count", record.shard->count},
                                     {"of", record.shard->of}}
                              : json(nullptr);
  doc["sweep"] = record.sweep ? json{{"primitives", record.sweep->primitives},
                                     {"crashes", record.sweep->crashes}}
                              : json(nullptr);
  return doc;
}

// A required member of the wanted JSON type, or an error naming it.
template <typename T>
std::expected<T, std::string> Member(const json& o, const char* key, const std::string& where) {
  auto it = o.find(key);
  if (it == o.end()) return std::unexpected(where + ": no \"" + key + "\"");
  try {
    return it->get<T>();
  } catch (const json::exception&) {
    return std::unexpected(where + ": \"" + key + "\" has the wrong type");
  }
}

std::expected<CaseRecord::SweepTuple, std::string> SweepTupleFromJson(const json& o,
                                                                      const std::string& where) {
  if (!o.is_object()) return std::unexpected(where + ": not an object");
  CaseRecord::SweepTuple t;
  auto base = Member<std::string>(o, "case", where);
  if (!base) return std::unexpected(base.error());
  t.base = *base;
  auto primitive = Member<std::string>(o, "primitive", where);
  if (!primitive) return std::unexpected(primitive.error());
  t.primitive = *primitive;
  auto crash = Member<std::string>(o, "crash", where);
  if (!crash) return std::unexpected(crash.error());
  t.crash = *crash;
  auto code = Member<std::string>(o, "code", where);
  if (!code) return std::unexpected(code.error());
  if (code->size() != 1) return std::unexpected(where + ": \"code\" is not one letter");
  t.code = code->front();
  t.point = o.value("point", 0);
  t.distance = o.value("distance", "");
  t.iteration = o.value("iteration", 1);
  t.rerun = o.value("rerun", "");
  return t;
}

std::expected<CaseRecord, std::string> CaseFromJson(const json& o, const std::string& where) {
  if (!o.is_object()) return std::unexpected(where + ": not an object");
  CaseRecord r;
  auto name = Member<std::string>(o, "case", where);
  if (!name) return std::unexpected(name.error());
  r.case_name = *name;
  const std::string here = where + " (" + r.case_name + ")";
  auto verdict = Member<std::string>(o, "verdict", here);
  if (!verdict) return std::unexpected(verdict.error());
  auto outcome = oracles::ParseOutcome(*verdict);
  if (!outcome) return std::unexpected(here + ": unknown verdict \"" + *verdict + "\"");
  r.outcome = *outcome;
  r.case_file = o.value("case_file", "");
  r.summary = o.value("summary", "");
  r.reason = o.value("reason", "");
  r.evidence = o.value("evidence", "");
  r.seconds = o.value("seconds", 0.0);
  r.not_run = o.value("not_run", false);  // absent in reports written before it existed
  if (auto it = o.find("notes"); it != o.end() && it->is_array())
    for (const auto& n : *it)
      if (n.is_string()) r.notes.push_back(n.get<std::string>());
  if (auto it = o.find("findings"); it != o.end() && it->is_array())
    r.findings = it->get<std::vector<std::string>>();
  if (auto it = o.find("expected_failure"); it != o.end() && it->is_object()) {
    auto reason = Member<std::string>(*it, "reason", here + ".expected_failure");
    if (!reason) return std::unexpected(reason.error());
    auto findings = Member<std::vector<std::string>>(*it, "findings", here + ".expected_failure");
    if (!findings) return std::unexpected(findings.error());
    r.expected_failure = ExpectedFailure{*reason, *findings};
  }
  if (auto it = o.find("sweep"); it != o.end() && !it->is_null()) {
    auto tuple = SweepTupleFromJson(*it, here + ".sweep");
    if (!tuple) return std::unexpected(tuple.error());
    r.sweep = std::move(*tuple);
  }
  r.detail = json::object();
  for (const char* key :
       {"block_size", "old_eof", "eof_block", "durable_size_at_crash", "plant",
        "extent_after_crash", "oracles", "sizes", "fsck", "disagreements", "disk_views",
        "crash_model", "race_findings", "crash_states", "case_text", "variables", "altered_by"})
    if (auto it = o.find(key); it != o.end()) r.detail[key] = *it;
  return r;
}

}  // namespace

json CaseDetail(const engine::CaseRun& run, const oracles::Verdict& verdict) {
  json d = json::object();
  d["block_size"] = run.block_size;
  d["old_eof"] = run.old_eof;
  d["eof_block"] = run.eof_block;
  d["durable_size_at_crash"] = Optional(run.durable_size_at_crash);
  if (run.plant) {
    d["plant"] = {{"device_offset", run.plant->device_offset},
                  {"length", run.plant->length},
                  {"verified", run.plant->verified},
                  {"extent", ExtentJson(run.plant->extent)},
                  {"seen_through_file", Optional(run.plant->seen_through_file)}};
  } else {
    d["plant"] = nullptr;
  }
  d["extent_after_crash"] = run.extent_after_crash ? ExtentJson(*run.extent_after_crash) : json();
  d["oracles"] = json::array();
  for (const auto& r : verdict.oracles) d["oracles"].push_back(OracleJson(r, run.views[r.view_index]));
  d["sizes"] = json::array();
  for (const auto& s : run.sizes)
    d["sizes"].push_back({{"phase", engine::PhaseName(s.phase)},
                          {"line", s.line},
                          {"expected", s.expected},
                          {"observed", s.observed},
                          {"ok", s.expected == s.observed}});
  d["fsck"] = json::array();
  for (const auto& f : verdict.fsck) d["fsck"].push_back(FsckJson(f));
  d["disagreements"] = run.disagreements;
  d["disk_views"] = run.disk_views ? DiskViewsJson(*run.disk_views, verdict) : json(nullptr);
  json model = {{"judged", verdict.model_judged}};
  if (!verdict.model_judged) model["why_not"] = verdict.model_not_judged;
  if (!verdict.legal_sizes.empty()) model["legal_sizes"] = verdict.legal_sizes;
  if (!verdict.legal_size_ranges.empty()) {
    model["legal_size_ranges"] = json::array();
    for (const auto& [lo, hi] : verdict.legal_size_ranges)
      model["legal_size_ranges"].push_back(json::array({lo, hi}));
  }
  model["broken"] = json::array();
  for (auto i : verdict.BrokenInvariants()) model["broken"].push_back(oracles::InvariantName(i));
  model["evidence"] = json::array();
  for (const auto& b : verdict.invariants)
    model["evidence"].push_back({{"invariant", oracles::InvariantName(b.invariant)},
                                 {"oracle", engine::OracleName(b.oracle)},
                                 {"phase", engine::PhaseName(b.phase)},
                                 {"offset", b.offset},
                                 {"count", b.count},
                                 {"evidence", b.evidence},
                                 {"read_back", b.read_back ? json{b.read_back->begin,
                                                                  b.read_back->end}
                                                           : json(nullptr)}});
  d["crash_model"] = std::move(model);
  d["race_findings"] = run.race_findings;
  d["case_text"] = run.case_text;
  d["variables"] = json::object();
  for (const auto& [name, value] : run.variables) d["variables"][name] = value;
  d["altered_by"] = run.altered_by;
  return d;
}

json ToJson(const RunRecord& record) {
  json configs = json::array();
  for (const auto& c : record.configs) {
    json cases = json::array();
    for (const auto& r : c.cases) {
      json o = {{"case", r.case_name},
                {"case_file", r.case_file},
                {"verdict", oracles::OutcomeName(r.outcome)},
                {"summary", r.summary},
                {"reason", r.reason},
                {"seconds", Rounded(r.seconds)},
                {"evidence", r.evidence},
                {"notes", r.notes},
                {"findings", r.findings},
                {"expected_failure",
                 r.expected_failure ? json{{"reason", r.expected_failure->reason},
                                           {"findings", r.expected_failure->findings}}
                                    : json()},
                {"standing", StandingName(StandingOf(r))},
                {"not_run", r.not_run}};
      o.update(r.detail);
      if (r.sweep) o["sweep"] = SweepTupleJson(*r.sweep);
      cases.push_back(std::move(o));
    }
    configs.push_back({{"name", c.config.name},
                       {"fs", c.config.fs},
                       {"block_size", c.config.block_size},
                       {"mkfs_command", c.config.mkfs_command},
                       {"mount_options", c.config.mount_options},
                       {"device", c.config.device},
                       {"setup_error", c.setup_error},
                       {"cases", std::move(cases)}});
    if (c.guest)
      configs.back()["guest"] = {{"kernel", c.guest->kernel},
                                 {"origin", c.guest->origin},
                                 {"release", c.guest->release},
                                 {"boot_seconds", Rounded(c.guest->boot_seconds)},
                                 {"run_seconds", Rounded(c.guest->run_seconds)}};
    if (c.guest && !c.guest->accel.empty()) {
      configs.back()["guest"]["accel"] = c.guest->accel;
      configs.back()["guest"]["accel_note"] = c.guest->accel_note;
    }
  }
  json interrupted;  // null: the run ended by itself
  if (record.interrupted_by)
    interrupted = {{"signal", record.interrupted_by},
                   {"name", os::SignalName(record.interrupted_by)}};
  // "tool" stays the plain name readers check; the version and commit are
  // keys of their own (null when not known).
  auto known = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  json doc = {{"tool", "eofzero"},
              {"tool_version", known(record.tool.version)},
              {"tool_commit", known(record.tool.commit)},
              {"schema", kJsonSchemaVersion},
              {"kernel", record.kernel},
              {"started", record.started},
              {"seconds", Rounded(record.seconds)},
              {"interrupted", std::move(interrupted)},
              {"configurations", std::move(configs)}};
  return WithRunFields(record, std::move(doc));
}

namespace {

std::expected<RunRecord, std::string> ReadRecord(const json& doc) {
  if (!doc.is_object() || doc.value("tool", "") != "eofzero")
    return std::unexpected("not an eofzero JSON report");
  if (doc.value("schema", 0) != kJsonSchemaVersion)
    return std::unexpected("JSON report schema " + doc.value("schema", json(0)).dump() +
                           ", expected " + std::to_string(kJsonSchemaVersion));
  RunRecord record;
  // Absent (a report from before they were recorded) or null: not known.
  for (auto [key, into] : {std::pair{"tool_version", &record.tool.version},
                           std::pair{"tool_commit", &record.tool.commit}})
    if (auto it = doc.find(key); it != doc.end() && !it->is_null()) {
      if (!it->is_string()) return std::unexpected(std::string("report: \"") + key + "\" is not a string");
      *into = it->get<std::string>();
    }
  record.kernel = doc.value("kernel", "");
  record.started = doc.value("started", "");
  record.seconds = doc.value("seconds", 0.0);
  // Absent (a report written before it existed) or null: it ended by itself.
  if (auto it = doc.find("interrupted"); it != doc.end() && !it->is_null()) {
    auto signal = it->is_object() ? Member<int>(*it, "signal", "report.interrupted")
                                  : std::unexpected("report: \"interrupted\" is not an object");
    if (!signal) return std::unexpected(signal.error());
    record.interrupted_by = *signal;
  }
  record.command = doc.value("command", "");  // absent in reports written before it existed
  if (auto it = doc.find("shard"); it != doc.end() && !it->is_null()) {
    if (!it->is_object()) return std::unexpected("report: \"shard\" is not an object");
    auto index = Member<std::size_t>(*it, "index", "report.shard");
    if (!index) return std::unexpected(index.error());
    auto count = Member<std::size_t>(*it, "count", "report.shard");
    if (!count) return std::unexpected(count.error());
    if (*count == 0 || *index == 0 || *index > *count)
      return std::unexpected("report.shard: " + std::to_string(*index) + "/" +
                             std::to_string(*count) + " is not a slice K/M with 1 <= K <= M");
    record.shard = RunRecord::Shard{*index, *count, it->value("of", "")};
  }
  if (auto it = doc.find("sweep"); it != doc.end() && !it->is_null()) {
    if (!it->is_object()) return std::unexpected("report: \"sweep\" is not an object");
    auto primitives = Member<std::vector<std::string>>(*it, "primitives", "report.sweep");
    if (!primitives) return std::unexpected(primitives.error());
    auto crashes = Member<std::vector<std::string>>(*it, "crashes", "report.sweep");
    if (!crashes) return std::unexpected(crashes.error());
    record.sweep = RunRecord::SweepAxes{*primitives, *crashes};
  }
  auto configs = Member<json>(doc, "configurations", "report");
  if (!configs) return std::unexpected(configs.error());
  if (!configs->is_array()) return std::unexpected("report: \"configurations\" is not a list");
  for (std::size_t i = 0; i < configs->size(); ++i) {
    const json& c = (*configs)[i];
    const std::string where = "configurations[" + std::to_string(i) + "]";
    if (!c.is_object()) return std::unexpected(where + ": not an object");
    ConfigRecord cr;
    auto fs = Member<std::string>(c, "fs", where);
    if (!fs) return std::unexpected(fs.error());
    cr.config.fs = *fs;
    cr.config.name = c.value("name", "");
    cr.config.block_size = c.value("block_size", 0u);
    cr.config.mkfs_command = c.value("mkfs_command", "");
    cr.config.mount_options = c.value("mount_options", "");
    cr.config.device = c.value("device", "");
    cr.setup_error = c.value("setup_error", "");
    if (auto g = c.find("guest"); g != c.end() && g->is_object())
      cr.guest = GuestInfo{g->value("kernel", ""), g->value("origin", ""), g->value("release", ""),
                           g->value("boot_seconds", 0.0), g->value("run_seconds", 0.0),
                           g->value("accel", ""), g->value("accel_note", "")};
    auto cases = Member<json>(c, "cases", where);
    if (!cases) return std::unexpected(cases.error());
    if (!cases->is_array()) return std::unexpected(where + ": \"cases\" is not a list");
    for (std::size_t k = 0; k < cases->size(); ++k) {
      auto r = CaseFromJson((*cases)[k], where + ".cases[" + std::to_string(k) + "]");
      if (!r) return std::unexpected(r.error());
      cr.cases.push_back(std::move(*r));
    }
    record.configs.push_back(std::move(cr));
  }
  return record;
}

}  // namespace

std::expected<RunRecord, std::string> RunRecordFromJson(const json& doc) {
  try {
    return ReadRecord(doc);
  } catch (const json::exception& e) {  // a member of the wrong type, read with value()
    return std::unexpected(std::string("a field has the wrong type: ") + e.what());
  }
}

std::expected<RunRecord, JsonReportError> LoadJsonReport(const std::filesystem::path& path) {
  using Kind = JsonReportError::Kind;
  // Non-blocking and regular files only: a FIFO or /proc/kmsg never hangs it.
  auto text = os::ReadRegularFile(path, 256ull << 20);
  if (!text) return std::unexpected(JsonReportError{Kind::kUnreadable, text.error().Message()});
  nlohmann::ordered_json doc = nlohmann::ordered_json::parse(*text, nullptr, false);
  if (doc.is_discarded()) return std::unexpected(JsonReportError{Kind::kNotJson, "not JSON"});
  auto record = RunRecordFromJson(doc);
  if (!record) return std::unexpected(JsonReportError{Kind::kNotAReport, record.error()});
  return std::move(*record);
}

}  // namespace eofzero::report
