#include "suite/guest_groups.h"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace eofzero::suite {

std::vector<std::vector<std::size_t>> PlanGuestGroups(const GuestPlan& plan, unsigned guests) {
  const auto configs = plan.ConfigList();
  auto weight = [&](std::size_t i) {
    return std::ranges::count_if(
        plan.cases, [&](const GuestPlan::Case& c) { return c.block_size == configs[i].block_size; });
  };
  std::vector<std::size_t> order(configs.size());
  std::iota(order.begin(), order.end(), 0);
  std::ranges::stable_sort(order, [&](std::size_t a, std::size_t b) { return weight(a) > weight(b); });
  const std::size_t count = std::clamp<std::size_t>(guests, 1, std::max<std::size_t>(configs.size(), 1));
  std::vector<std::vector<std::size_t>> groups(count);
  std::vector<std::ptrdiff_t> load(count, 0);
  for (auto i : order) {
    const auto lightest = std::ranges::min_element(load) - load.begin();
    groups[lightest].push_back(i);
    load[lightest] += weight(i);
  }
  std::erase_if(groups, [](const auto& g) { return g.empty(); });
  for (auto& g : groups) std::ranges::sort(g);
  std::ranges::sort(groups, {}, [](const auto& g) { return g.front(); });
  return groups;
}

GuestsAtOnce GuestsThatFit(unsigned wanted, std::uint64_t available_mib, unsigned guest_mib) {
  const std::uint64_t each = std::uint64_t{guest_mib} + kQemuOverheadMiB;
  if (available_mib == 0 || wanted * each <= available_mib) return {std::max(wanted, 1u), ""};
  const unsigned fit = static_cast<unsigned>(std::max<std::uint64_t>(available_mib / each, 1));
  return {fit, fmt::format("-j {} cut to {}: each guest needs {} MiB, {} MiB available", wanted,
                           fit, each, available_mib)};
}

}  // namespace eofzero::suite
