#include "engine/case_check.h"

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

std::expected<void, std::string> PreflightCase(const CaseSpec& spec, std::uint32_t bs,
                                               std::uint32_t page_size, std::uint32_t default_gap) {
  auto vars = VariablesFor(spec, bs, page_size, default_gap);
  if (!vars) return std::unexpected(vars.error());
  for (const auto& step : spec.steps) {
    for (const auto& n : step.numbers)
      if (auto v = NonNegative(n, *vars); !v) return At(spec, step.line, v.error());
    for (const auto& [flag, value] : step.flags)
      if (value)
        if (auto v = NonNegative(*value, *vars); !v) return At(spec, step.line, v.error());
  }
  return {};
}

}  // namespace eofzero::engine
