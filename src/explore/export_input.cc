#include "explore/export_input.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "engine/step_parser.h"
#include "fsdriver/registry.h"
#include "scratch/mkfs_command.h"

namespace eofzero::explore {
namespace {

using json = nlohmann::ordered_json;

bool Holds(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::uint64_t Fnv1a(const std::string& text) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 0x100000001b3ull;
  }
  return h;
}

// A member of the detail of the wanted type, or nullopt.
template <typename T>
std::optional<T> Get(const json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return std::nullopt;
  try {
    return it->get<T>();
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

// The finding as the record says it.
ExportFinding FindingOf(const report::CaseRecord& r) {
  ExportFinding f;
  f.verdict = oracles::OutcomeName(r.outcome);
  f.summary = r.summary;
  f.kinds = r.findings;
  f.evidence = r.evidence;
  const json model = r.detail.value("crash_model", json::object());
  if (!model.is_object()) return f;
  f.model_judged = model.value("judged", false);
  f.legal_sizes = Get<std::string>(model, "legal_sizes").value_or("");
  if (auto ranges = Get<std::vector<std::pair<std::uint64_t, std::uint64_t>>>(model,
                                                                             "legal_size_ranges"))
    f.legal_size_ranges = *ranges;
  f.broken = Get<std::vector<std::string>>(model, "broken").value_or(std::vector<std::string>{});
  return f;
}

// Whether the reproducer checks what this FAIL is about: the gap, the size
// (expected, or one the crash model allows) or fsck.
bool Checkable(const report::CaseRecord& r, const ExportFinding& f, std::uint64_t eof,
               std::uint64_t eob) {
  if (Holds(f.kinds, "gap") || Holds(f.kinds, "size") || f.Metadata()) return true;
  const json model = r.detail.value("crash_model", json::object());
  if (!model.is_object() || !model.contains("evidence") || !model["evidence"].is_array())
    return false;
  for (const json& b : model["evidence"]) {
    if (!b.is_object()) continue;
    const std::string inv = b.value("invariant", "");
    const std::uint64_t at = b.value("offset", std::uint64_t{0});
    if (inv == "legal size" || (inv == "no stale bytes" && at >= eof && at < eob)) return true;
  }
  return false;
}

ExportItem ItemOf(const report::RunRecord& record, const report::ConfigRecord& config,
                  const report::CaseRecord& r, const ReadOwnText& read_own) {
  ExportItem item;
  item.config = config.config.Label();
  item.f = FindingOf(r);
  ExportCase& c = item.c;
  c.case_name = r.case_name;
  c.fs = config.config.fs;
  const MkfsWords mkfs = MkfsWordsOf(c.fs, config.config.mkfs_command);
  c.mkfs = mkfs.argv;
  c.mkfs_extra = mkfs.extra;
  c.mount_options = config.config.mount_options;
  c.kernel = config.guest && !config.guest->release.empty() ? "Linux " + config.guest->release
                                                            : record.kernel;
  c.tool = report::ToolIdentity(record.tool);
  auto refuse = [&item](std::string why) {
    item.refused = std::move(why);
    return item;
  };
  if (!fsdriver::ParseFsType(c.fs))
    return refuse("its filesystem '" + c.fs + "' is not one this eofzero knows (" +
                  fsdriver::FsTypeNames() + ")");
  if (r.outcome != oracles::Outcome::kFail && r.outcome != oracles::Outcome::kPass)
    return refuse(fmt::format("it is {}{}: only a FAIL or a PASS has a verdict to reproduce",
                              item.f.verdict, r.reason.empty() ? "" : " (" + r.reason + ")"));
  if (auto altered = Get<std::vector<std::string>>(r.detail, "altered_by"); altered && !altered->empty())
    return refuse("its run was altered by " + altered->front() +
                  ": the verdict is not the case's alone");
  auto text = Get<std::string>(r.detail, "case_text");
  if (!text || text->empty())
    return refuse("the report has no \"case_text\" for it (written by an eofzero before export "
                  "existed): run the case again");
  c.case_text = *text;
  auto vars = Get<std::map<std::string, std::int64_t>>(r.detail, "variables");
  for (const char* name : {"bs", "ps", "gap", "eof", "eof_block", "eob"})
    if (!vars || !vars->contains(name))
      return refuse(std::string("the report has no \"variables\" {") + name + "} for it");
  c.vars = engine::Variables(vars->begin(), vars->end());
  if (r.outcome == oracles::Outcome::kFail &&
      !Checkable(r, item.f, static_cast<std::uint64_t>(c.vars.at("eof")),
                 static_cast<std::uint64_t>(c.vars.at("eob")))) {
    std::string kinds;
    for (const auto& k : item.f.kinds) kinds += (kinds.empty() ? "" : ", ") + k;
    return refuse("its finding (" + kinds +
                  ") is not one the reproducer checks (the gap, the size, fsck)");
  }
  // A catalog case as it is: its own text, with its comments.
  const std::filesystem::path file = r.case_file;
  if (!r.case_file.empty() && file.stem() == r.case_name)
    if (auto own = read_own(file)) c.own_text = *own;
  return item;
}

}  // namespace

std::string FolderName(const report::ConfigInfo& config, const std::string& case_name,
                       const std::vector<std::string>& taken) {
  std::string label = config.name;
  if (label.empty())
    label = config.block_size % 1024 ? fmt::format("{}-{}", config.fs, config.block_size)
                                     : fmt::format("{}-{}k", config.fs, config.block_size / 1024);
  std::string name = label + "-" + case_name;
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '-' && ch != '.')
      ch = '_';
  if (name.empty() || name[0] == '.' || name[0] == '-') name = "x" + name;
  if (name.size() > engine::kMaxNameLength)
    name = name.substr(0, 47) + fmt::format("-{:016x}", Fnv1a(name));
  const std::string base = name;
  for (int n = 2; Holds(taken, name); ++n) {
    const std::string suffix = fmt::format("-{}", n);
    name = base.substr(0, std::min(base.size(), engine::kMaxNameLength - suffix.size())) + suffix;
  }
  return name;
}

MkfsWords MkfsWordsOf(const std::string& fs, const std::string& mkfs_command) {
  const auto type = fsdriver::ParseFsType(fs);
  const fsdriver::FsDriver* driver = type ? &fsdriver::Driver(*type) : nullptr;
  std::vector<std::string> words = scratch::SplitWords(mkfs_command);
  if (!words.empty()) words.pop_back();  // the device
  MkfsWords out;
  std::size_t extra_from = words.size();
  for (std::size_t i = 0; i < words.size(); ++i) {
    const bool uuid = driver && driver->IsUuidOption(words, i);
    if (!uuid) {
      out.argv.push_back(words[i]);
      continue;
    }
    ++i;  // its value
    extra_from = out.argv.size();
    // The driver's own options that follow the UUID (ext4's "-E nodiscard").
    const auto own = driver->OwnOptionsAfterUuid();
    if (!own.empty() && i + own.size() < words.size() &&
        std::equal(own.begin(), own.end(), words.begin() + static_cast<std::ptrdiff_t>(i + 1)))
      extra_from += own.size();
  }
  for (std::size_t i = extra_from; i < out.argv.size(); ++i) out.extra.push_back(out.argv[i]);
  return out;
}

std::expected<std::vector<ExportItem>, std::string> ExportItems(
    const report::RunRecord& record, const std::vector<std::string>& names,
    const ReadOwnText& read_own) {
  for (const auto& name : names) {
    bool found = false;
    for (const auto& config : record.configs)
      for (const auto& r : config.cases) found |= r.case_name == name;
    if (!found) return std::unexpected("--case: '" + name + "' is not a case of the report");
  }
  std::vector<ExportItem> items;
  std::vector<std::string> taken;
  for (const auto& config : record.configs)
    for (const auto& r : config.cases) {
      const bool wanted = names.empty() ? r.outcome == oracles::Outcome::kFail
                                        : Holds(names, r.case_name);
      if (!wanted) continue;
      ExportItem item = ItemOf(record, config, r, read_own);
      item.folder = FolderName(config.config, r.case_name, taken);
      taken.push_back(item.folder);
      items.push_back(std::move(item));
    }
  return items;
}

}  // namespace eofzero::explore
