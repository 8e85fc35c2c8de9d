#include "suite/sweep_plan.h"

#include <algorithm>
#include <random>
#include <set>
#include <string_view>

#include "suite/sweep_plan_shape.h"

namespace eofzero::suite {
namespace {

using engine::Step;
using engine::StepRole;

bool SameSteps(const std::vector<Step>& a, const std::vector<Step>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), SameMeaning);
}

// The checks a variant keeps after the crash: the remount and `check gap`,
// and `check races` once a race step ran (before it, there is nothing for it
// to read). The case's other steps after the crash (an `expect size`, a
// read of a range the extension may have lost) hold only for the case as
// written.
bool CheckAfterCrash(const Step& s, bool raced) {
  const std::string_view name = s.def->name;
  return s.def->role == StepRole::kCycleMount || s.def->role == StepRole::kCheckGap ||
         (name == "check races" && raced);
}

// The case's steps up to its plant, `extension[0, upto)`, the crash, and
// the checks after it: with `as_written`, every step of the extension and
// every step after the first shutdown, as the case has them; else no
// `expect size` and only CheckAfterCrash's steps.
std::vector<Step> Assemble(const engine::CaseSpec& spec, const SweepShape& shape,
                           const std::vector<Step>& extension, std::size_t upto,
                           const std::string& crash, bool as_written) {
  std::vector<Step> out(spec.steps.begin(),
                        spec.steps.begin() + static_cast<std::ptrdiff_t>(shape.plant) + 1);
  for (std::size_t k = 0; k < upto; ++k)
    if (as_written || extension[k].def->role != StepRole::kExpectSize) out.push_back(extension[k]);
  const Step& down = spec.steps[shape.shutdown];
  out.push_back(crash == shape.crash ? down : MadeStep(ShutdownText(crash), down.line));
  const bool raced = std::any_of(out.begin(), out.end(), [](const Step& s) {
    return std::string_view(s.def->name) == "race_dio" ||
           std::string_view(s.def->name) == "race_mmap_append";
  });
  for (std::size_t i = shape.shutdown + 1; i < spec.steps.size(); ++i)
    if (as_written || CheckAfterCrash(spec.steps[i], raced)) out.push_back(spec.steps[i]);
  return out;
}

// The extension's crash points: the index (into `extension`) after which
// each crash comes, the last one last. The crash follows each action step
// (not an open or file step) and the whole extension; a point is named by
// its step's line, the last step of a line standing for it (the steps the
// sweep adds take their neighbour's line). `expect size` steps are never a
// point.
std::vector<std::size_t> Points(const std::vector<Step>& extension) {
  std::size_t last = extension.size();
  while (last > 0 && extension[last - 1].def->role == StepRole::kExpectSize) --last;
  std::vector<std::size_t> points;
  for (std::size_t k = 1; k <= last; ++k) {
    const Step& s = extension[k - 1];
    const std::string_view name = s.def->name;
    const bool action = s.def->role == StepRole::kAction && name != "open" && name != "file";
    if (!action && k != last) continue;
    if (!points.empty() && extension[points.back() - 1].line == s.line) points.pop_back();
    points.push_back(k);
  }
  return points;
}

// The distances to sweep the case at: "" when they do not apply; the case's
// own under the name of a distance with the same offset.
std::vector<std::string> DistancesOf(const engine::CaseSpec& spec, const SweepShape& shape,
                                     const std::vector<std::string>& asked) {
  const std::string own = OwnDistance(spec, shape);
  if (own.empty()) return {""};
  std::vector<std::string> out;
  for (const auto& d : asked) {
    const std::string name = d == "as-written" ? own : d;
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  }
  return out;
}

}  // namespace

std::expected<AsWrittenTuple, std::string> AsWritten(const engine::CaseSpec& spec) {
  auto shape = SweepShapeOf(spec);
  if (!shape) return std::unexpected(shape.error());
  const std::string distance = OwnDistance(spec, *shape);
  for (const char* primitive : kPrimitives) {
    if (!AppliesToShape(*shape, primitive)) continue;
    const std::vector<Step> extension = SweepExtension(spec, *shape, primitive, distance);
    if (extension.empty()) continue;
    if (SameSteps(Assemble(spec, *shape, extension, extension.size(), shape->crash, true),
                  spec.steps))
      return AsWrittenTuple{primitive, shape->crash, distance};
  }
  std::string point;
  for (std::size_t i : shape->point) point += (point.empty() ? "" : "; ") + spec.steps[i].text;
  return std::unexpected("no primitive of the sweep runs it as written (its durability point: " +
                         (point.empty() ? std::string("none") : point) + ")");
}

std::expected<std::vector<Variant>, std::string> PlanSweep(const engine::CaseSpec& spec,
                                                           const SweepOptions& options) {
  auto shape = SweepShapeOf(spec);
  if (!shape) return std::unexpected(shape.error());
  const auto own = AsWritten(spec);
  std::vector<Variant> out;
  for (const auto& primitive : options.primitives)
    for (const auto& distance : DistancesOf(spec, *shape, options.distances)) {
      if (!AppliesToShape(*shape, primitive)) continue;
      const std::vector<Step> extension = SweepExtension(spec, *shape, primitive, distance);
      if (extension.empty()) continue;
      std::vector<std::size_t> points = Points(extension);
      auto at_line = [&](std::size_t k) { return extension[k - 1].line; };
      const std::size_t last = points.back();
      if (options.only_point)
        std::erase_if(points, [&](std::size_t k) { return at_line(k) != options.only_point; });
      else if (!options.all_points)
        points = {last};
      for (const auto& crash : options.crashes)
        for (std::size_t upto : points) {
          const bool as_written = own && own->primitive == primitive && own->crash == crash &&
                                  own->distance == distance && upto == last;
          for (int it = 1; it <= options.iterations; ++it) {
            Variant v{spec.name, primitive, crash, at_line(upto), distance, it, spec};
            v.spec.steps = Assemble(spec, *shape, extension, as_written ? extension.size() : upto,
                                    crash, as_written);
            v.spec.name = spec.name + "." + primitive + "." + crash;
            if (options.all_points || options.only_point)
              v.spec.name += ".p" + std::to_string(v.point);
            if (!distance.empty()) v.spec.name += "." + distance;
            if (options.iterations > 1) v.spec.name += ".i" + std::to_string(it);
            out.push_back(std::move(v));
          }
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
