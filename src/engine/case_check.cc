#include "engine/case_check.h"

#include <map>
#include <utility>
#include <vector>

#include "engine/step.h"
#include "fsdriver/registry.h"
#include "scratch/fs_limits.h"

namespace eofzero::engine {
namespace {

std::unexpected<std::string> At(const CaseSpec& spec, int line, const std::string& message) {
  return std::unexpected(spec.source + ":" + std::to_string(line) + ": " + message);
}

std::expected<std::int64_t, std::string> NonNegative(const Expr& e, const Variables& vars) {
  auto v = e.Eval(vars);
  if (!v) return v;
  if (*v < 0) return std::unexpected(e.text() + " = " + std::to_string(*v) + " is negative");
  return v;
}

}  // namespace

std::expected<Variables, std::string> VariablesFor(const CaseSpec& spec, std::uint32_t bs,
                                                   std::uint32_t page_size,
                                                   std::uint32_t default_gap) {
  Variables vars{{"bs", bs}, {"ps", page_size}, {"gap", default_gap}};
  if (spec.gap) {
    auto gap = NonNegative(*spec.gap, vars);
    if (!gap) return At(spec, spec.gap_line, "gap: " + gap.error());
    vars["gap"] = *gap;
  }
  const std::int64_t gap = vars["gap"];
  // Where a bad gap came from: the case's field, or --gap.
  const int gap_line = spec.gap ? spec.gap_line : spec.eof_line ? spec.eof_line : 1;
  const std::string gap_from = spec.gap ? "" : " (--gap)";
  if (gap < 1 || gap >= bs)
    return At(spec, gap_line, "gap " + std::to_string(gap) + gap_from +
                                  " must be 1 to block size - 1 (" + std::to_string(bs - 1) + ")");
  auto eof = NonNegative(spec.eof, vars);
  if (!eof) return At(spec, spec.eof_line ? spec.eof_line : 1, "eof: " + eof.error());
  const std::int64_t block = *eof / bs * bs;
  if (block + bs - *eof != gap)
    return At(spec, spec.eof_line ? spec.eof_line : gap_line,
              "eof " + spec.eof.text() + " = " + std::to_string(*eof) + " must be " +
                  std::to_string(gap) + " bytes ({gap}" + gap_from + ") before the end of its " +
                  std::to_string(bs) + "-byte block");
  vars["eof"] = *eof;
  vars["eof_block"] = block;
  vars["eob"] = block + bs;
  return vars;
}

std::expected<void, std::string> PreflightCase(const CaseSpec& spec, const CaseTarget& target) {
  auto vars = VariablesFor(spec, target.block_size, target.page_size, target.default_gap);
  if (!vars) return std::unexpected(vars.error());
  const std::uint64_t max_file = fsdriver::Driver(target.fs).MaxFileBytes(target.block_size);
  const std::string fs_name(fsdriver::FsTypeName(target.fs));
  std::uint64_t allocated = 0;
  for (const auto& step : spec.steps) {
    std::vector<std::uint64_t> numbers;
    for (const auto& e : step.numbers) {
      auto v = NonNegative(e, *vars);
      if (!v) return At(spec, step.line, v.error());
      numbers.push_back(static_cast<std::uint64_t>(*v));
    }
    std::map<char, std::uint64_t> flags;
    for (const auto& [flag, value] : step.flags) {
      if (!value) continue;
      auto v = NonNegative(*value, *vars);
      if (!v) return At(spec, step.line, v.error());
      flags[flag] = static_cast<std::uint64_t>(*v);
    }
    const StepDemand d = step.def->demand ? step.def->demand(numbers, flags) : StepDemand{};
    const std::string cmd = step.def->name;
    if (!d.invalid.empty()) return At(spec, step.line, cmd + ": " + d.invalid);
    if (flags.contains('S') && flags.at('S') > 0xff)
      return At(spec, step.line,
                cmd + ": -S " + std::to_string(flags.at('S')) + " is not one byte (0 to 0xff)");
    for (const auto& [what, end] : d.ends)
      if (end > max_file)
        return At(spec, step.line,
                  cmd + ": " + what + " = " + std::to_string(end) + " is past the largest file " +
                      fs_name + " holds with " + std::to_string(target.block_size) +
                      "-byte blocks (" + std::to_string(max_file) + " bytes)");
    allocated = d.allocates > UINT64_MAX - allocated ? UINT64_MAX : allocated + d.allocates;
    // Past what the image holds a read sees only holes, and a long one runs
    // for hours (16 TiB of zeros through the page cache).
    if (target.image_bytes && d.reads > *target.image_bytes)
      return At(spec, step.line,
                cmd + ": a length of " + std::to_string(d.reads) + " bytes is more than the " +
                    scratch::SizeText(*target.image_bytes) + " " + fs_name + " image (" +
                    target.image_from + ") holds");
    if (target.image_bytes) {
      const std::uint64_t budget = scratch::CaseAllocationBudget(*target.image_bytes);
      if (allocated > budget)
        return At(spec, step.line,
                  cmd + ": the steps up to here may allocate " + std::to_string(allocated) +
                      " bytes; a case may allocate a third of its image, " +
                      std::to_string(budget) + " bytes of the " +
                      scratch::SizeText(*target.image_bytes) + " " + fs_name + " image (" +
                      target.image_from + ")");
    }
  }
  return {};
}

}  // namespace eofzero::engine
