#include "suite/sweep_plan.h"

#include <algorithm>
#include <random>
#include <set>
#include <string_view>

#include "engine/step_parser.h"

namespace eofzero::suite {
namespace {

using engine::Step;
using engine::StepRole;

bool IsFlush(const Step& s) {
  static const std::set<std::string_view> kFlushes = {"fsync",  "fdatasync", "syncfs",
                                                      "sync",   "sync_range", "msync"};
  return kFlushes.contains(s.def->name);
}
bool IsPwrite(const Step& s) { return std::string_view(s.def->name) == "pwrite"; }

// A step of the sweep's own, parsed as a case file's would be.
Step Made(const std::string& text, int line) {
  auto step = engine::ParseStep(text, line);
  return std::move(*step);  // the sweep's own texts always parse (sweep_plan_test)
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

// What the sweep needs of a case's steps.
struct Shape {
  std::size_t plant = 0, shutdown = 0;
  std::vector<std::size_t> window;  // between them, without the flushes
  std::string open_flags;           // of the last `open ... main` before the window
  bool on_main = true;              // the window's steps act on main
  int cycle_line = 0, check_line = 0;
};

std::expected<Shape, std::string> ShapeOf(const engine::CaseSpec& spec) {
  Shape shape;
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
  std::string current = "main";
  for (std::size_t i = 0; i < shape.shutdown; ++i) {
    const Step& s = steps[i];
    const std::string_view name = s.def->name;
    if (name == "file" || name == "open") current = s.words[0];
    if (name == "open" && s.words[0] == "main" && i < shape.plant) shape.open_flags = OpenLetters(s);
    if (i <= shape.plant) continue;
    if (s.def->role == StepRole::kExpectSize || IsFlush(s)) continue;
    if (s.def->role == StepRole::kAction && name != "file" && name != "open" && current != "main")
      shape.on_main = false;
    shape.window.push_back(i);
  }
  const bool extends = std::any_of(shape.window.begin(), shape.window.end(), [&](std::size_t i) {
    return steps[i].def->role == StepRole::kAction && std::string_view(steps[i].def->name) != "pread";
  });
  if (!extends) return std::unexpected("no extension between plant and shutdown");
  for (std::size_t i = shape.shutdown + 1; i < steps.size(); ++i) {
    if (steps[i].def->role == StepRole::kCycleMount && !shape.cycle_line) shape.cycle_line = steps[i].line;
    if (steps[i].def->role == StepRole::kCheckGap) {
      shape.check_line = steps[i].line;
      break;
    }
  }
  if (!shape.cycle_line) shape.cycle_line = steps[shape.shutdown].line;
  if (!shape.check_line) shape.check_line = steps[shape.shutdown].line;
  return shape;
}

// The extension's steps for one primitive and distance; empty when the
// primitive does not apply.
std::vector<Step> Extension(const engine::CaseSpec& spec, const Shape& shape,
                            const std::string& primitive, const std::string& distance) {
  std::vector<Step> out;
  bool any_pwrite = false;
  std::string open_flags = shape.open_flags;  // as the case's own `open` steps leave them
  const int last_line = spec.steps[shape.window.back()].line;
  for (std::size_t i : shape.window) {
    Step s = spec.steps[i];
    if (std::string_view(s.def->name) == "open" && s.words[0] == "main") open_flags = OpenLetters(s);
    if (!IsPwrite(s)) {
      out.push_back(std::move(s));
      continue;
    }
    any_pwrite = true;
    for (char f : {'w', 'W', 'D', 'Y'}) s.flags.erase(f);  // the case's own durability point
    if (!distance.empty()) {
      const char* at = distance == "next-block"   ? "{eob}"
                       : distance == "next-folio" ? "{eob - eob % 65536 + 65536}"
                                                  : "{eob - eob % 2097152 + 4194304}";
      s.numbers[0] = *engine::Expr::Parse(at, engine::CaseVariables());
      s.text += " [at " + std::string(at) + "]";
    }
    if (primitive == "rwf_sync" || primitive == "rwf_dsync") {
      s.flags[primitive == "rwf_sync" ? 'Y' : 'D'] = std::nullopt;
      s.text += primitive == "rwf_sync" ? " [-Y]" : " [-D]";
    }
    if (primitive == "o_sync" || primitive == "o_dsync") {
      out.push_back(Made(OpenText(open_flags, primitive == "o_sync" ? "s" : "y"), s.line));
      out.push_back(std::move(s));
      out.push_back(Made(OpenText(open_flags, ""), out.back().line));
      continue;
    }
    out.push_back(std::move(s));
  }
  const bool by_pwrite = primitive == "o_sync" || primitive == "o_dsync" ||
                         primitive == "rwf_sync" || primitive == "rwf_dsync";
  if (by_pwrite && !any_pwrite) return {};
  if (primitive == "sync_range")
    out.push_back(Made("sync_range -b -w -a 0 0", last_line));
  else if (primitive != "none" && !by_pwrite)
    out.push_back(Made(primitive, last_line));
  return out;
}

// Whether the extension is one pwrite at an offset the case chose.
bool OnePwriteAtAnOffset(const engine::CaseSpec& spec, const Shape& shape) {
  int pwrites = 0;
  bool appends = shape.open_flags.find('a') != std::string::npos;
  for (std::size_t i : shape.window) {
    const Step& s = spec.steps[i];
    if (std::string_view(s.def->name) == "open" && s.words[0] == "main")
      appends |= s.Has('a');
    if (IsPwrite(s)) {
      ++pwrites;
      appends |= s.Has('P') || (s.open_flags & engine::kOpenAppend);
    }
  }
  return pwrites == 1 && !appends && shape.on_main;
}

}  // namespace

std::expected<std::vector<Variant>, std::string> PlanSweep(const engine::CaseSpec& spec,
                                                           const SweepOptions& options) {
  auto shape = ShapeOf(spec);
  if (!shape) return std::unexpected(shape.error());
  std::vector<std::string> distances = {""};
  if (OnePwriteAtAnOffset(spec, *shape)) distances = options.distances;
  std::vector<Variant> out;
  for (const auto& primitive : options.primitives)
    for (const auto& distance : distances) {
      if (!shape->on_main && primitive != "none" && primitive != "syncfs" && primitive != "sync")
        continue;  // fsync and the write flags would act on another file
      const std::vector<Step> extension = Extension(spec, *shape, primitive, distance);
      if (extension.empty()) continue;
      // The crash follows each action step from the extension on (not an
      // open or file step), and the whole extension; a point is named by its
      // step's line, the last step of a line standing for it (the steps the
      // sweep adds take their neighbour's line).
      std::vector<std::size_t> points;
      auto at_line = [&](std::size_t k) { return extension[k - 1].line; };
      for (std::size_t k = 1; k <= extension.size(); ++k) {
        const std::string_view name = extension[k - 1].def->name;
        const bool action = extension[k - 1].def->role == StepRole::kAction && name != "open" &&
                            name != "file";
        if (!action && k != extension.size()) continue;
        if (!points.empty() && at_line(points.back()) == at_line(k)) points.pop_back();
        points.push_back(k);
      }
      if (options.only_point)
        std::erase_if(points, [&](std::size_t k) { return at_line(k) != options.only_point; });
      else if (!options.all_points)
        points = {extension.size()};
      for (const auto& crash : options.crashes)
        for (std::size_t upto : points)
          for (int it = 1; it <= options.iterations; ++it) {
            Variant v{spec.name, primitive, crash, extension[upto - 1].line, distance, it, spec};
            v.spec.steps.assign(spec.steps.begin(),
                                spec.steps.begin() + static_cast<std::ptrdiff_t>(shape->plant) + 1);
            v.spec.steps.insert(v.spec.steps.end(), extension.begin(),
                                extension.begin() + static_cast<std::ptrdiff_t>(upto));
            const int down = spec.steps[shape->shutdown].line;
            v.spec.steps.push_back(Made(crash == "freeze"     ? "shutdown -s"
                                        : crash == "logflush" ? "shutdown -f"
                                                              : "shutdown",
                                        down));
            v.spec.steps.push_back(Made("cycle_mount", shape->cycle_line));
            v.spec.steps.push_back(Made("check gap", shape->check_line));
            v.spec.name = spec.name + "." + primitive + "." + crash;
            if (options.all_points || options.only_point) v.spec.name += ".p" + std::to_string(v.point);
            if (!distance.empty()) v.spec.name += "." + distance;
            if (options.iterations > 1) v.spec.name += ".i" + std::to_string(it);
            out.push_back(std::move(v));
          }
    }
  return out;
}

SweepPlan PlanSweep(const std::vector<const engine::CaseSpec*>& cases,
                    const SweepOptions& options) {
  SweepPlan plan;
  for (const auto* spec : cases) {
    auto variants = PlanSweep(*spec, options);
    if (!variants) {
      plan.left_out.push_back(spec->name + ": " + variants.error());
      continue;
    }
    for (auto& v : *variants) plan.variants.push_back(std::move(v));
  }
  if (options.seed) {
    std::mt19937_64 rng(options.seed);
    std::shuffle(plan.variants.begin(), plan.variants.end(), rng);
  }
  return plan;
}

}  // namespace eofzero::suite
