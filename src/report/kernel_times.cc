#include "report/kernel_times.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace eofzero::report {

std::string RenderKernelTimes(const RunRecord& record, TableStyle style) {
  std::vector<GuestInfo> guests;
  for (const auto& c : record.configs)
    if (c.guest && std::ranges::find(guests, *c.guest) == guests.end()) guests.push_back(*c.guest);
  if (guests.empty()) return {};
  auto seconds = [](double s) { return fmt::format("{:.1f}s", s); };
  std::string out;
  if (style == TableStyle::kMarkdown) {
    out = "\n| kernel | release | boot | run | from |\n| --- | --- | --- | --- | --- |\n";
    for (const auto& g : guests)
      out += fmt::format("| {} | {} | {} | {} | {} |\n", g.kernel,
                         g.release.empty() ? "(did not boot)" : g.release, seconds(g.boot_seconds),
                         seconds(g.run_seconds), g.origin);
    return out;
  }
  std::size_t kw = 6, rw = 7;
  for (const auto& g : guests) {
    kw = std::max(kw, g.kernel.size());
    rw = std::max(rw, std::max<std::size_t>(g.release.size(), 14));
  }
  out = fmt::format("\n{:<{}}  {:<{}}  {:>7}  {:>7}  {}\n", "kernel", kw, "release", rw, "boot",
                    "run", "from");
  for (const auto& g : guests)
    out += fmt::format("{:<{}}  {:<{}}  {:>7}  {:>7}  {}\n", g.kernel, kw,
                       g.release.empty() ? "(did not boot)" : g.release, rw,
                       seconds(g.boot_seconds), seconds(g.run_seconds), g.origin);
  return out;
}

}  // namespace eofzero::report
