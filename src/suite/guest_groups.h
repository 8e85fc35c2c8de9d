// How a kernel's configurations are spread over guests (pure): each guest
// runs a group of them one after another, the groups side by side, so a
// kernel takes about its largest group's time instead of all of them. And
// how many guests fit in the host's memory at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "suite/guest_records.h"

namespace eofzero::suite {

// At most `guests` groups of indices into plan.ConfigList(), every
// configuration in exactly one, balanced by their number of cases (the
// largest first into the lightest group); each group in ascending order, the
// groups by their first index. One group (every configuration, in order)
// when `guests` is 1.
std::vector<std::vector<std::size_t>> PlanGuestGroups(const GuestPlan& plan, unsigned guests);

// QEMU's own memory beside the guest's.
inline constexpr unsigned kQemuOverheadMiB = 256;

struct GuestsAtOnce {
  unsigned guests = 1;
  std::string note;  // non-empty when `wanted` was cut: one line saying why
};

// How many guests of `guest_mib` each (plus QEMU's overhead) fit in
// `available_mib` (MemAvailable), up to `wanted` and at least one; an
// unknown `available_mib` (0) caps nothing.
GuestsAtOnce GuestsThatFit(unsigned wanted, std::uint64_t available_mib, unsigned guest_mib);

}  // namespace eofzero::suite
