#include "suite/sweep_plan_shape.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string_view>

#include "engine/step_parser.h"

namespace eofzero::suite {
namespace {

using engine::Step;
using engine::StepRole;

bool IsFlush(const Step& s) {
  static const std::set<std::string_view> kFlushes = {"fsync", "fdatasync",  "syncfs",
                                                      "sync",  "sync_range", "msync"};
  return kFlushes.contains(s.def->name);
}
bool IsPwrite(const Step& s) { return std::string_view(s.def->name) == "pwrite"; }

// An action that changes the file: not a flush, an open, a file or a read.
bool ChangesTheFile(const Step& s) {
  const std::string_view name = s.def->name;
  return s.def->role == StepRole::kAction && !IsFlush(s) && name != "open" && name != "file" &&
         name != "pread";
}

// The flags an `open` step gives, as its letters.
std::string OpenLetters(const Step& s) {
  std::string letters;
  for (char f : std::string_view("adsy"))
    if (s.Has(f)) letters += f;
  return letters;
}

// `open` with the flags a case's own `open` step for main gave, plus `extra`.
std::string OpenText(const std::string& flags, const std::string& extra) {
  std::string text = "open";
  for (char f : flags + extra) text += std::string(" -") + f;
  return text + " main";
}

// The offset a named distance writes at; nullptr for another name.
const char* DistanceOffset(std::string_view distance) {
  if (distance == "next-block") return "{eob}";
  if (distance == "next-folio") return "{eob - eob % 65536 + 65536}";
  if (distance == "far") return "{eob - eob % 2097152 + 4194304}";
  return nullptr;
}

std::string Squeezed(std::string_view text) {
  std::string out;
  for (char c : text)
    if (c != ' ' && c != '\t') out += c;
  return out;
}

// The range a step of the extension writes into main, as expression texts:
// nullopt when it writes none (a truncate, a fallocate) or one not known in
// advance (the race steps; an appending write after another change, whose
// offset is the size then; copy_range without -l).
struct WrittenRange {
  std::string offset, length;
};
bool WritesData(const Step& s) {
  static const std::set<std::string_view> kWriters = {"pwrite",  "mwrite",   "copy_range",
                                                      "reflink", "race_dio", "race_mmap_append"};
  return kWriters.contains(s.def->name);
}
std::optional<WrittenRange> RangeWritten(const Step& s, bool appends, bool changed_before) {
  const std::string_view name = s.def->name;
  if (name == "pwrite" && appends) {
    if (changed_before) return std::nullopt;
    return WrittenRange{"{eof}", s.numbers[1].text()};
  }
  if (name == "pwrite" || name == "mwrite")
    return WrittenRange{s.numbers[0].text(), s.numbers[1].text()};
  if (name == "reflink") return WrittenRange{s.numbers[1].text(), s.numbers[2].text()};
  if (name == "copy_range") {
    auto length = s.flags.find('l');
    if (length == s.flags.end() || !length->second) return std::nullopt;
    auto offset = s.flags.find('d');
    return WrittenRange{offset != s.flags.end() && offset->second ? offset->second->text() : "0",
                        length->second->text()};
  }
  return std::nullopt;
}

// The extension's one pwrite at an offset the case chose, or nullptr.
const Step* OnePwriteAtAnOffset(const engine::CaseSpec& spec, const SweepShape& shape) {
  const Step* pwrite = nullptr;
  int pwrites = 0;
  bool appends = shape.open_flags.find('a') != std::string::npos;
  for (std::size_t i : shape.window) {
    const Step& s = spec.steps[i];
    if (std::string_view(s.def->name) == "open" && s.words[0] == "main") appends |= s.Has('a');
    if (IsPwrite(s)) {
      ++pwrites;
      pwrite = &s;
      appends |= s.Has('P') || (s.open_flags & engine::kOpenAppend);
    }
  }
  return pwrites == 1 && !appends && shape.on_main ? pwrite : nullptr;
}

bool ByPwrite(const std::string& primitive) {
  return primitive == "o_sync" || primitive == "o_dsync" || primitive == "rwf_sync" ||
         primitive == "rwf_dsync";
}

// Each range the extension writes into main (its pwrite at `at` when given);
// nullopt when it writes no data, or a range not known in advance.
std::optional<std::vector<WrittenRange>> RangesWritten(const engine::CaseSpec& spec,
                                                       const SweepShape& shape, const char* at) {
  std::vector<WrittenRange> ranges;
  std::string open_flags = shape.open_flags;
  bool changed = false;
  for (std::size_t i : shape.window) {
    const Step& s = spec.steps[i];
    if (std::string_view(s.def->name) == "open" && s.words[0] == "main")
      open_flags = OpenLetters(s);
    if (WritesData(s)) {
      const bool appends = open_flags.find('a') != std::string::npos || s.Has('P') ||
                           (s.open_flags & engine::kOpenAppend);
      auto range = RangeWritten(s, appends, changed);
      if (!range) return std::nullopt;
      if (at && IsPwrite(s)) range->offset = at;
      ranges.push_back(*range);
    }
    changed |= ChangesTheFile(s);
  }
  if (ranges.empty()) return std::nullopt;
  return ranges;
}

// The steps a primitive adds (none for `none` and for those of the writes
// themselves), or nullopt when it does not apply.
std::optional<std::vector<std::string>> PrimitiveTexts(const engine::CaseSpec& spec,
                                                       const SweepShape& shape,
                                                       const std::string& primitive,
                                                       const char* at) {
  if (primitive == "none" || ByPwrite(primitive)) return std::vector<std::string>{};
  if (primitive == "sync_range_file") return std::vector<std::string>{"sync_range -b -w -a 0 0"};
  if (primitive != "sync_range") return std::vector<std::string>{primitive};
  auto ranges = RangesWritten(spec, shape, at);
  if (!ranges) return std::nullopt;
  std::vector<std::string> texts;
  for (const auto& r : *ranges) texts.push_back("sync_range -b -w -a " + r.offset + " " + r.length);
  return texts;
}

}  // namespace

Step MadeStep(const std::string& text, int line) {
  auto step = engine::ParseStep(text, line);
  return std::move(*step);  // the sweep's own texts always parse (sweep_plan_test)
}

std::string ShutdownText(const std::string& crash) {
  return crash == "freeze" ? "shutdown -s" : crash == "logflush" ? "shutdown -f" : "shutdown";
}

std::expected<SweepShape, std::string> SweepShapeOf(const engine::CaseSpec& spec) {
  SweepShape shape;
  const auto& steps = spec.steps;
  auto find = [&](StepRole role, std::size_t from) {
    for (std::size_t i = from; i < steps.size(); ++i)
      if (steps[i].def->role == role) return i;
    return steps.size();
  };
  shape.plant = find(StepRole::kPlant, 0);
  shape.shutdown = find(StepRole::kShutdown, shape.plant);
  if (shape.plant == steps.size() || shape.shutdown == steps.size())
    return std::unexpected("no plant and shutdown to sweep between");
  const Step& down = steps[shape.shutdown];
  shape.crash = down.Has('s') ? "freeze" : down.Has('f') ? "logflush" : "nologflush";
  std::size_t last_change = shape.plant;
  for (std::size_t i = shape.plant + 1; i < shape.shutdown; ++i)
    if (ChangesTheFile(steps[i])) last_change = i;
  if (last_change == shape.plant) return std::unexpected("no extension between plant and shutdown");
  std::string current = "main";
  for (std::size_t i = 0; i < shape.shutdown; ++i) {
    const Step& s = steps[i];
    const std::string_view name = s.def->name;
    if (name == "file" || name == "open") current = s.words[0];
    if (name == "open" && s.words[0] == "main" && i < shape.plant)
      shape.open_flags = OpenLetters(s);
    if (i <= shape.plant) continue;
    if (IsFlush(s) && i > last_change) {
      shape.point.push_back(i);
      continue;
    }
    if (s.def->role == StepRole::kAction && name != "file" && name != "open" && current != "main")
      shape.on_main = false;
    shape.window.push_back(i);
  }
  return shape;
}

std::string OwnDistance(const engine::CaseSpec& spec, const SweepShape& shape) {
  const Step* pwrite = OnePwriteAtAnOffset(spec, shape);
  if (!pwrite) return "";
  for (std::string_view name : {"next-block", "next-folio", "far"})
    if (Squeezed(DistanceOffset(name)) == Squeezed(pwrite->numbers[0].text()))
      return std::string(name);
  return "as-written";
}

bool AppliesToShape(const SweepShape& shape, const std::string& primitive) {
  return shape.on_main || primitive == "none" || primitive == "syncfs" || primitive == "sync";
}

std::vector<Step> SweepExtension(const engine::CaseSpec& spec, const SweepShape& shape,
                                 const std::string& primitive, const std::string& distance) {
  const char* at = DistanceOffset(distance);  // nullptr: the case's own offsets
  const auto added = PrimitiveTexts(spec, shape, primitive, at);
  if (!added) return {};
  std::vector<Step> out;
  bool any_pwrite = false;
  std::string open_flags = shape.open_flags;  // as the case's own `open` steps leave them
  // The primitive takes the place and the line of the case's own durability
  // point; without one, it comes last, on the line of the step before it.
  std::optional<std::size_t> insert_at;
  for (std::size_t i : shape.window) {
    if (!shape.point.empty() && i > shape.point.front() && !insert_at) insert_at = out.size();
    Step s = spec.steps[i];
    if (std::string_view(s.def->name) == "open" && s.words[0] == "main")
      open_flags = OpenLetters(s);
    if (!IsPwrite(s)) {
      out.push_back(std::move(s));
      continue;
    }
    any_pwrite = true;
    for (char f : {'w', 'W', 'D', 'Y'}) s.flags.erase(f);  // the case's own durability point
    if (at) {
      s.numbers[0] = *engine::Expr::Parse(at, engine::CaseVariables());
      s.text += " [at " + std::string(at) + "]";
    }
    if (primitive == "rwf_sync" || primitive == "rwf_dsync") {
      s.flags[primitive == "rwf_sync" ? 'Y' : 'D'] = std::nullopt;
      s.text += primitive == "rwf_sync" ? " [-Y]" : " [-D]";
    }
    if (primitive == "o_sync" || primitive == "o_dsync") {
      out.push_back(MadeStep(OpenText(open_flags, primitive == "o_sync" ? "s" : "y"), s.line));
      out.push_back(std::move(s));
      out.push_back(MadeStep(OpenText(open_flags, ""), out.back().line));
      continue;
    }
    out.push_back(std::move(s));
  }
  if (ByPwrite(primitive) && !any_pwrite) return {};
  int line = shape.point.empty() ? 0 : spec.steps[shape.point.front()].line;
  for (auto s = out.rbegin(); !line && s != out.rend(); ++s)
    if (s->def->role != StepRole::kExpectSize) line = s->line;
  std::vector<Step> made;
  for (const auto& text : *added) made.push_back(MadeStep(text, line));
  out.insert(out.begin() + static_cast<std::ptrdiff_t>(insert_at.value_or(out.size())),
             made.begin(), made.end());
  return out;
}

bool SameMeaning(const Step& a, const Step& b) {
  if (a.def != b.def || a.words != b.words || a.open_flags != b.open_flags ||
      a.numbers.size() != b.numbers.size() || a.flags.size() != b.flags.size())
    return false;
  for (std::size_t i = 0; i < a.numbers.size(); ++i)
    if (Squeezed(a.numbers[i].text()) != Squeezed(b.numbers[i].text())) return false;
  for (const auto& [flag, value] : a.flags) {
    auto it = b.flags.find(flag);
    if (it == b.flags.end() || value.has_value() != it->second.has_value()) return false;
    if (value && Squeezed(value->text()) != Squeezed(it->second->text())) return false;
  }
  return true;
}

}  // namespace eofzero::suite
