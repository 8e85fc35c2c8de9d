#include "suite/matrix_config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <set>

#include "engine/case_file.h"
#include "engine/toml_text.h"
#include "os/file_io.h"
#include "report/standing.h"
#include "scratch/mkfs_command.h"
#include "scratch/user_options.h"

namespace eofzero::suite {
namespace {

class Parser {
 public:
  explicit Parser(const std::string& file) : file_(file) {}

  std::expected<MatrixConfig, std::string> Parse(const std::string& text) {
    auto parsed = engine::ParseTomlText(text, file_);
    if (!parsed) return std::unexpected(parsed.error());
    const toml::table& tbl = *parsed;
    MatrixConfig m;
    m.file = file_;
    for (auto&& [key, node] : tbl) {
      if (key.str() == "cases") {
        auto globs = Strings(node, "cases");
        if (!globs) return std::unexpected(globs.error());
        m.cases = *globs;
      } else if (key.str() != "config") {
        return Error(Line(node), "unknown field '" + std::string(key.str()) + "' (cases, config)");
      }
    }
    const toml::array* configs = tbl["config"].as_array();
    if (!configs || configs->empty()) return Error(1, "no [[config]] tables: nothing to run");
    std::set<std::string> names;
    for (const auto& node : *configs) {
      const toml::table* t = node.as_table();
      if (!t) return Error(Line(node), "'config' must be an array of tables ([[config]])");
      auto entry = Entry(*t);
      if (!entry) return std::unexpected(entry.error());
      if (!names.insert(entry->name).second)
        return Error(entry->line, "configuration name '" + entry->name + "' is used twice");
      m.configs.push_back(std::move(*entry));
    }
    return m;
  }

 private:
  std::unexpected<std::string> Error(int line, const std::string& message) const {
    return std::unexpected(file_ + ":" + std::to_string(line) + ": " + message);
  }
  static int Line(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

  std::expected<std::vector<std::string>, std::string> Strings(const toml::node& n,
                                                               const std::string& key) {
    const toml::array* a = n.as_array();
    std::vector<std::string> out;
    for (std::size_t i = 0; a && i < a->size(); ++i) {
      auto s = (*a)[i].value_exact<std::string>();
      if (!s || s->empty()) return Error(Line(n), "'" + key + "' must be a list of names or globs");
      out.push_back(*s);
    }
    if (!a) return Error(Line(n), "'" + key + "' must be a list of names or globs");
    return out;
  }

  std::expected<std::string, std::string> String(const toml::node& n, const std::string& key) {
    auto s = n.value_exact<std::string>();
    if (!s || s->find('\n') != std::string::npos)
      return Error(Line(n), "'" + key + "' must be a one-line string");
    return *s;
  }

  // `case = "why"` (gap findings) or `case = { reason = "why", findings = [...] }`.
  std::expected<report::ExpectedFailure, std::string> Expected(const std::string& name,
                                                               const toml::node& node) {
    report::ExpectedFailure x;
    const toml::node* reason = &node;
    if (const toml::table* t = node.as_table()) {
      for (auto&& [key, value] : *t)
        if (key.str() != "reason" && key.str() != "findings")
          return Error(Line(value), "unknown field '" + std::string(key.str()) +
                                        "' in expected failure '" + name + "' (reason, findings)");
      reason = t->get("reason");
      if (const toml::node* f = t->get("findings")) {
        auto kinds = Strings(*f, "findings");
        if (!kinds) return std::unexpected(kinds.error());
        for (const auto& k : *kinds)
          if (!report::IsFindingKind(k))
            return Error(Line(*f),
                         "unknown finding '" + k + "' (" + oracles::FindingKindNames() + ")");
        if (kinds->empty()) return Error(Line(*f), "findings must name at least one kind");
        x.findings = *kinds;
      }
    }
    auto text = reason ? String(*reason, name) : std::unexpected<std::string>("");
    if (!text || text->empty())
      return Error(Line(reason ? *reason : node),
                   "expected failure '" + name + "' needs a one-line reason");
    x.reason = *text;
    return x;
  }

  std::expected<MatrixEntry, std::string> Entry(const toml::table& t) {
    MatrixEntry e;
    e.line = Line(t);
    bool has_fs = false;
    int block_size_line = 0, mkfs_line = 0, mount_line = 0;
    for (auto&& [key, node] : t) {
      const std::string k(key.str());
      if (k == "name" || k == "fs" || k == "mkfs_options" || k == "mount_options") {
        auto s = String(node, k);
        if (!s) return std::unexpected(s.error());
        if (k == "name") {
          if (s->empty() || s->size() > 64 ||
              s->find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
                                   "VWXYZ0123456789-_.") != std::string::npos)
            return Error(Line(node),
                         "name '" + *s + "' must be 1 to 64 letters, digits, '-', '_' or '.'");
          e.name = *s;
        } else if (k == "fs") {
          auto fs = fsdriver::ParseFsType(*s);
          if (!fs) return Error(Line(node), "unknown filesystem '" + *s + "' (" +
                                                 fsdriver::FsTypeChoices() + ")");
          e.fs = *fs;
          has_fs = true;
        } else if (k == "mkfs_options") {
          e.mkfs_options = *s;
          mkfs_line = Line(node);
        } else {
          e.mount_options = *s;
          mount_line = Line(node);
        }
      } else if (k == "block_size") {
        auto bs = node.value_exact<std::int64_t>();
        if (!bs || *bs < 1024 || *bs > 65536 || (*bs & (*bs - 1)))
          return Error(Line(node), "block_size must be a power of two from 1024 to 65536");
        e.block_size = static_cast<std::uint32_t>(*bs);
        block_size_line = Line(node);
      } else if (k == "cases") {
        auto globs = Strings(node, k);
        if (!globs) return std::unexpected(globs.error());
        e.cases = *globs;
      } else if (k == "expected_failures") {
        const toml::table* x = node.as_table();
        if (!x) return Error(Line(node), "expected_failures must be a table: case = \"why\"");
        for (auto&& [c, why] : *x) {
          auto expected = Expected(std::string(c.str()), why);
          if (!expected) return std::unexpected(expected.error());
          e.expected_failures[std::string(c.str())] = *expected;
        }
      } else {
        return Error(Line(node), "unknown field '" + k +
                                     "' (name, fs, block_size, mkfs_options, mount_options, "
                                     "cases, expected_failures)");
      }
    }
    if (e.name.empty()) return Error(e.line, "a [[config]] needs a 'name'");
    if (!has_fs) return Error(e.line, "configuration '" + e.name + "' needs 'fs'");
    if (auto ok = scratch::CheckMkfsOptions(e.fs, e.mkfs_options); !ok)
      return Error(mkfs_line, "mkfs_options: " + ok.error());
    if (auto ok = scratch::CheckMountOptions(e.mount_options); !ok)
      return Error(mount_line, "mount_options: " + ok.error());
    // A block size the mkfs options set is the configuration's (as `run` takes it).
    auto mkfs_bs = scratch::MkfsBlockSize(e.fs, e.mkfs_options);
    if (!mkfs_bs) return Error(mkfs_line, "mkfs_options: " + mkfs_bs.error());
    if (*mkfs_bs && block_size_line && **mkfs_bs != e.block_size)
      return Error(block_size_line, "block_size " + std::to_string(e.block_size) +
                                        " conflicts with mkfs_options, which set " +
                                        std::to_string(**mkfs_bs));
    if (*mkfs_bs) e.block_size = **mkfs_bs;
    return e;
  }

  std::string file_;
};

}  // namespace

std::expected<MatrixConfig, std::string> ParseMatrixText(const std::string& text,
                                                         const std::string& file) {
  return Parser(file).Parse(text);
}

std::expected<MatrixConfig, std::string> LoadMatrixFile(const std::filesystem::path& path) {
  constexpr std::uint64_t kMaxMatrixFileBytes = 1 << 20;
  auto text = os::ReadRegularFile(path, kMaxMatrixFileBytes);
  if (!text) return std::unexpected(path.string() + ":0: " + text.error().Message());
  return ParseMatrixText(*text, path.string());
}

std::expected<std::vector<const engine::CaseSpec*>, std::string> CasesFor(
    const MatrixConfig& matrix, const MatrixEntry& entry,
    const std::vector<engine::CaseSpec>& catalog) {
  const auto& globs = entry.cases.empty() ? matrix.cases : entry.cases;
  auto selected = engine::SelectCases(catalog, globs);
  const std::string where = matrix.file + ":" + std::to_string(entry.line) + ": ";
  if (!selected) return std::unexpected(where + entry.name + ": " + selected.error());
  // A case made for another block size belongs to the configurations of that
  // size: here it would only run again on a filesystem of its own.
  std::erase_if(*selected, [&](const engine::CaseSpec* c) {
    return c->block_size && *c->block_size != entry.block_size;
  });
  for (const auto& [name, why] : entry.expected_failures) {
    const bool runs = std::any_of(selected->begin(), selected->end(),
                                  [&](const engine::CaseSpec* c) { return c->name == name; });
    if (!runs)
      return std::unexpected(where + entry.name + ": expected failure '" + name +
                             "' is not a case this configuration runs");
  }
  return selected;
}

}  // namespace eofzero::suite
