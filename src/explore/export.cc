#include "explore/export.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "engine/case_check.h"
#include "engine/case_file.h"
#include "engine/case_text.h"
#include "engine/step_parser.h"
#include "engine/toml_text.h"
#include "explore/export_render.h"

namespace eofzero::explore {
namespace {

// The comment lines a case file starts with.
std::string LeadingComments(const std::string& text) {
  std::string out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line) && line.starts_with("#");) out += line + "\n";
  return out;
}

// The catalog file's own steps (with their comments), when it is the case
// that ran word for word and says what language 2 says.
std::optional<std::string> OwnSteps(const ExportCase& c, const engine::CaseSpec& ran) {
  if (c.own_text.empty()) return std::nullopt;
  auto own = engine::ParseCaseText(c.own_text, c.case_name + ".toml");
  if (!own || own->language == 1) return std::nullopt;
  if (engine::StepLines(own->steps) != engine::StepLines(ran.steps)) return std::nullopt;
  auto table = engine::ParseTomlText(c.own_text, c.case_name + ".toml");
  if (!table) return std::nullopt;
  auto steps = (*table)["steps"].value<std::string>();
  if (!steps || steps->find("'''") != std::string::npos) return std::nullopt;
  return *steps;
}

// The case file `eofzero run --cases-dir DIR --case NAME` runs: the case as
// it ran, named `name`, pinned to the filesystem, block size and gap it ran
// with.
std::expected<std::string, std::string> CaseFile(const ExportCase& c, const ExportFinding& f,
                                                 const engine::CaseSpec& ran,
                                                 const std::string& name) {
  const auto own_steps = OwnSteps(c, ran);
  std::string text = CommentBlock(fmt::format(
      "Exported by eofzero export from a run of {} on {}: {} {} bs={}: {}{}", c.tool, c.kernel,
      c.case_name, c.fs, c.vars.at("bs"), f.verdict, f.summary.empty() ? "" : " " + f.summary));
  std::string run = fmt::format("eofzero run --cases-dir DIR --case {} --fs {}", name, c.fs);
  if (!c.mkfs_extra.empty()) {
    std::string extra;
    for (const auto& w : c.mkfs_extra) extra += (extra.empty() ? "" : " ") + w;
    run += " --mkfs-options " + ShellQuote(extra);
  }
  if (!c.mount_options.empty()) run += " --mount-options " + ShellQuote(c.mount_options);
  text += "# Run it: " + run + "\n";
  if (own_steps) text += "#\n" + LeadingComments(c.own_text);
  text += "name = " + engine::TomlString(name) + "\n";
  text += "purpose = " + engine::TomlString(ran.purpose) + "\n";
  text += "language = 2\n";
  text += "fs = [" + engine::TomlString(c.fs) + "]\n";
  text += fmt::format("block_size = {}\n", c.vars.at("bs"));
  text += "gap = " +
          engine::TomlString(ran.gap ? ran.gap->text() : std::to_string(c.vars.at("gap"))) + "\n";
  if (ran.eof_line) text += "eof = " + engine::TomlString(ran.eof.text()) + "\n";
  text += "steps = '''\n";
  if (own_steps) {
    text += *own_steps;
  } else {
    for (const auto& line : engine::StepLines(ran.steps)) text += line + "\n";
  }
  return text + "'''\n";
}

}  // namespace

bool ExportFinding::Metadata() const {
  return std::find(kinds.begin(), kinds.end(), "fsck") != kinds.end() ||
         std::find(broken.begin(), broken.end(), "clean metadata") != broken.end();
}

std::string ShellQuote(const std::string& word) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) ||
           std::string_view("_@%+=:,./-").find(ch) != std::string_view::npos;
  });
  if (plain) return word;
  std::string out = "'";
  for (char ch : word) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

std::expected<Exported, std::string> ExportFindingFiles(const ExportCase& c,
                                                        const ExportFinding& f,
                                                        const std::string& name) {
  if (!engine::PlainName(name) || name.size() > engine::kMaxNameLength)
    return std::unexpected("'" + name + "' is not a case name");
  for (const char* v : {"bs", "ps", "gap", "eof", "eof_block", "eob"})
    if (!c.vars.contains(v)) return std::unexpected(std::string("no {") + v + "} given");
  auto ran = engine::ParseCaseText(c.case_text, c.case_name + ".toml");
  if (!ran) return std::unexpected("its case text does not parse: " + ran.error());
  Exported out;
  out.name = name;
  auto file = CaseFile(c, f, *ran, name);
  if (!file) return std::unexpected(file.error());
  out.case_file = *file;
  // The exported file is what the plan follows, so its lines are the ones
  // the script's comments name.
  auto spec = engine::ParseCaseText(out.case_file, name + ".toml");
  if (!spec) return std::unexpected("the exported case file does not parse: " + spec.error());
  if (engine::StepLines(spec->steps) != engine::StepLines(ran->steps))
    return std::unexpected("the exported case file's steps are not the ones that ran");
  const auto vars = engine::VariablesFor(*spec, static_cast<std::uint32_t>(c.vars.at("bs")),
                                         static_cast<std::uint32_t>(c.vars.at("ps")),
                                         static_cast<std::uint32_t>(c.vars.at("gap")));
  if (!vars) return std::unexpected(vars.error());
  if (*vars != c.vars) return std::unexpected("its variables are not the ones the case gives");
  auto plan = PlanExport(*spec, c.vars);
  if (!plan) return std::unexpected(plan.error());
  out.script = RenderScript(c, f, *plan, name);
  out.fstests = RenderFstests(c, f, *plan, name);
  out.fstests_out = RenderGolden(*plan, f);
  out.report = RenderReport(c, f, *plan, name, out.script);
  return out;
}

}  // namespace eofzero::explore
