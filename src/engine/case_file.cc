#include "engine/case_file.h"

#include <fnmatch.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "engine/step_parser.h"
#include "engine/toml_text.h"
#include "os/file_io.h"

namespace eofzero::engine {
namespace {

const std::set<std::string, std::less<>> kKeys = {
    "name", "purpose", "language", "default", "fs", "block_size", "gap", "eof", "steps"};

class Loader {
 public:
  Loader(const std::string& text, const std::string& file) : text_(text), file_(file) {}

  std::expected<CaseSpec, std::string> Load() {
    auto parsed = ParseTomlText(text_, file_);
    if (!parsed) return std::unexpected(parsed.error());
    const toml::table& tbl = *parsed;
    for (auto&& [key, node] : tbl)
      if (!kKeys.contains(key.str()))
        return Error(Line(node), "unknown field '" + std::string(key.str()) + "'");
    CaseSpec spec;
    spec.source = file_;
    auto name = String(tbl, "name");
    if (!name) return std::unexpected(name.error());
    spec.name = *name;
    if (!PlainName(spec.name))
      return Error(Line(*tbl.get("name")),
                   "name '" + spec.name + "' must be up to " + std::to_string(kMaxNameLength) +
                       " letters, digits, - _ . (not starting with - or .)");
    const std::string stem = std::filesystem::path(file_).stem().string();
    if (spec.name != stem)
      return Error(Line(*tbl.get("name")), "name '" + spec.name + "' must match the file name '" +
                                               stem + ".toml'");
    auto purpose = String(tbl, "purpose");
    if (!purpose) return std::unexpected(purpose.error());
    spec.purpose = *purpose;
    if (auto st = Optional(tbl, spec); !st) return std::unexpected(st.error());
    return Steps(tbl, std::move(spec));
  }

 private:
  std::unexpected<std::string> Error(int line, const std::string& message) const {
    return std::unexpected(file_ + ":" + std::to_string(line) + ": " + message);
  }
  static int Line(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

  std::expected<std::string, std::string> String(const toml::table& tbl, const char* key) {
    const toml::node* n = tbl.get(key);
    if (!n) return Error(1, std::string("missing field '") + key + "'");
    auto s = n->value<std::string>();
    if (!s || s->empty() || s->find('\n') != std::string::npos)
      return Error(Line(*n), std::string("'") + key + "' must be a one-line string");
    return *s;
  }

  std::expected<Expr, std::string> ExprField(const toml::node& n, const char* key) {
    std::string text;
    if (auto i = n.value_exact<std::int64_t>())
      text = std::to_string(*i);
    else if (auto s = n.value_exact<std::string>())
      text = *s;
    else
      return Error(Line(n), std::string("'") + key + "' must be a number or an expression string");
    auto e = Expr::Parse(text, CaseVariables());
    if (!e) return Error(Line(n), std::string(key) + ": " + e.error());
    return *e;
  }

  std::expected<void, std::string> Optional(const toml::table& tbl, CaseSpec& spec) {
    if (const toml::node* n = tbl.get("default")) {
      auto b = n->value_exact<bool>();
      if (!b) return Error(Line(*n), "'default' must be true or false");
      spec.in_default_suite = *b;
    }
    if (const toml::node* n = tbl.get("language")) {
      auto v = n->value_exact<std::int64_t>();
      if (!v || *v < 1 || *v > kCaseLanguage)
        return Error(Line(*n), "'language' must be 1 (the old pwrite flags) or " +
                                   std::to_string(kCaseLanguage) + " (xfs_io's meanings)");
      spec.language = static_cast<int>(*v);
    }
    if (const toml::node* n = tbl.get("fs")) {
      const toml::array* arr = n->as_array();
      if (!arr || arr->empty()) return Error(Line(*n), "'fs' must be a list such as [\"xfs\"]");
      for (const auto& item : *arr) {
        auto fs = fsdriver::ParseFsType(item.value_or(std::string()));
        if (!fs) return Error(Line(item), "'fs': not a filesystem this tool knows (" +
                                            fsdriver::FsTypeNames() + ")");
        spec.filesystems.push_back(*fs);
      }
    }
    if (const toml::node* n = tbl.get("block_size")) {
      auto bs = n->value_exact<std::int64_t>();
      if (!bs || *bs < 1024 || *bs > 65536 || (*bs & (*bs - 1)))
        return Error(Line(*n), "'block_size' must be a power of two from 1024 to 65536");
      spec.block_size = static_cast<std::uint32_t>(*bs);
    }
    if (const toml::node* n = tbl.get("gap")) {
      auto e = ExprField(*n, "gap");
      if (!e) return std::unexpected(e.error());
      spec.gap = *e;
      spec.gap_line = Line(*n);
    }
    spec.eof = *Expr::Parse("{bs - gap}", CaseVariables());
    if (const toml::node* n = tbl.get("eof")) {
      auto e = ExprField(*n, "eof");
      if (!e) return std::unexpected(e.error());
      spec.eof = *e;
      spec.eof_line = Line(*n);
    }
    return {};
  }

  // The steps are a multi-line string; its first line is the line after the
  // opening quotes when a newline follows them at once (TOML drops only that
  // newline: blanks before it make a first, blank line).
  int FirstStepLine(const toml::node& n) const {
    int line = Line(n);
    std::istringstream in(text_);
    std::string raw;
    for (int i = 0; i < line && std::getline(in, raw); ++i) {
    }
    const auto col = static_cast<std::size_t>(n.source().begin.column);
    std::string rest = col <= raw.size() ? raw.substr(col - 1) : "";
    for (const char* q : {"'''", "\"\"\""})
      if (rest.starts_with(q)) rest = rest.substr(3);
    return rest.empty() || rest == "\r" ? line + 1 : line;
  }

  std::expected<CaseSpec, std::string> Steps(const toml::table& tbl, CaseSpec spec) {
    const toml::node* n = tbl.get("steps");
    if (!n) return Error(1, "missing field 'steps'");
    auto text = n->value_exact<std::string>();
    if (!text) return Error(Line(*n), "'steps' must be a multi-line string of commands");
    std::istringstream in(*text);
    std::string raw;
    for (int line = FirstStepLine(*n); std::getline(in, raw); ++line) {
      if (auto hash = raw.find('#'); hash != std::string::npos) raw.erase(hash);
      const auto b = raw.find_first_not_of(" \t\r");
      if (b == std::string::npos) continue;
      raw = raw.substr(b, raw.find_last_not_of(" \t\r") - b + 1);
      if (spec.steps.size() == kMaxSteps)
        return Error(line, "more than " + std::to_string(kMaxSteps) + " steps");
      auto step = ParseStep(raw, line, spec.language);
      if (!step) return Error(line, step.error());
      spec.steps.push_back(std::move(*step));
    }
    if (auto ok = ValidateSequence(spec.steps, Line(*n)); !ok)
      return Error(ok.error().line, ok.error().message);
    return spec;
  }

  const std::string& text_;
  const std::string& file_;
};

}  // namespace

std::expected<CaseSpec, std::string> ParseCaseText(const std::string& text,
                                                   const std::string& file) {
  return Loader(text, file).Load();
}

std::expected<CaseSpec, std::string> LoadCaseFile(const std::filesystem::path& file) {
  auto text = os::ReadRegularFile(file, kMaxCaseFileBytes);
  if (!text) return std::unexpected(file.string() + ":0: " + text.error().Message());
  return ParseCaseText(*text, file.string());
}

std::expected<std::vector<CaseSpec>, std::string> LoadCaseDirs(
    const std::vector<std::filesystem::path>& dirs) {
  std::vector<CaseSpec> all;
  for (const auto& dir : dirs) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
      if (entry.path().extension() == ".toml") files.push_back(entry.path());
    if (ec) return std::unexpected(dir.string() + ":0: cannot list the cases folder: " + ec.message());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      auto spec = LoadCaseFile(f);
      if (!spec) return std::unexpected(spec.error());
      for (const auto& other : all)
        if (other.name == spec->name)
          return std::unexpected(f.string() + ":1: case '" + spec->name + "' is also defined in " +
                                 other.source);
      all.push_back(std::move(*spec));
    }
  }
  return all;
}

std::expected<std::vector<const CaseSpec*>, std::string> SelectCases(
    const std::vector<CaseSpec>& all, const std::vector<std::string>& globs) {
  std::vector<const CaseSpec*> out;
  for (const auto& c : all) {
    bool want = globs.empty() && c.in_default_suite;
    for (const auto& g : globs) want |= ::fnmatch(g.c_str(), c.name.c_str(), 0) == 0;
    if (want) out.push_back(&c);
  }
  for (const auto& g : globs) {
    bool any = std::any_of(all.begin(), all.end(), [&](const CaseSpec& c) {
      return ::fnmatch(g.c_str(), c.name.c_str(), 0) == 0;
    });
    if (!any) return std::unexpected("--case: '" + g + "' matches no case (see 'eofzero list')");
  }
  return out;
}

}  // namespace eofzero::engine
