#include "suite/guest_groups.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace eofzero::suite {
namespace {

using Groups = std::vector<std::vector<std::size_t>>;

// The catalog's shape: most cases at 4k, a few at 1k, on ext4 and xfs.
GuestPlan Catalog() {
  GuestPlan plan;
  plan.filesystems = {"ext4", "xfs"};
  for (int i = 0; i < 30; ++i) plan.cases.push_back({"c" + std::to_string(i), 4096});
  for (int i = 0; i < 4; ++i) plan.cases.push_back({"k" + std::to_string(i), 1024});
  return plan;
}

TEST(GuestGroups, TheConfigurationsInTheTablesOrderEachWithItsRunArguments) {
  GuestPlan plan;
  plan.filesystems = {"xfs", "ext4"};
  plan.cases = {{"append_write", 4096}, {"truncate_up_1k", 1024}, {"fallocate", 4096}};
  EXPECT_EQ(plan.ConfigList(), (std::vector<GuestConfig>{
                                   {"xfs", 1024}, {"xfs", 4096}, {"ext4", 1024}, {"ext4", 4096}}));
  EXPECT_EQ(plan.RunArgs({"ext4", 4096}),
            (std::vector<std::string>{"--fs", "ext4", "--block-size", "4096", "--case",
                                      "append_write,fallocate"}));
  EXPECT_EQ(plan.AllRunArgs().size(), 4u);
  EXPECT_EQ(plan.AllRunArgs()[0], plan.RunArgs({"xfs", 1024}));
}

TEST(GuestGroups, OneGuestRunsEverythingInOrder) {
  EXPECT_EQ(PlanGuestGroups(Catalog(), 1), (Groups{{0, 1, 2, 3}}));
  EXPECT_EQ(PlanGuestGroups(Catalog(), 0), (Groups{{0, 1, 2, 3}}));
}

TEST(GuestGroups, TheLargestGoFirstIntoTheLightestGuest) {
  // ext4/1k, ext4/4k, xfs/1k, xfs/4k: the 4k ones apart, a 1k one with each.
  EXPECT_EQ(PlanGuestGroups(Catalog(), 2), (Groups{{0, 1}, {2, 3}}));
  EXPECT_EQ(PlanGuestGroups(Catalog(), 3), (Groups{{0, 2}, {1}, {3}}));
  EXPECT_EQ(PlanGuestGroups(Catalog(), 4), (Groups{{0}, {1}, {2}, {3}}));
  EXPECT_EQ(PlanGuestGroups(Catalog(), 64), (Groups{{0}, {1}, {2}, {3}})) << "no empty guest";
}

TEST(GuestGroups, EveryConfigurationIsInExactlyOneGroup) {
  GuestPlan plan = Catalog();
  plan.filesystems = {"ext4", "xfs", "btrfs"};
  plan.cases.push_back({"big", 65536});
  for (unsigned guests = 1; guests <= 10; ++guests) {
    std::vector<std::size_t> all;
    for (const auto& g : PlanGuestGroups(plan, guests)) {
      EXPECT_TRUE(std::ranges::is_sorted(g));
      all.insert(all.end(), g.begin(), g.end());
    }
    std::ranges::sort(all);
    EXPECT_EQ(all.size(), plan.Configurations()) << guests;
    EXPECT_EQ(std::ranges::unique(all).begin(), all.end()) << guests;
    EXPECT_LE(PlanGuestGroups(plan, guests).size(), guests);
  }
}

TEST(GuestGroups, GuestsAreCutToTheMemoryAvailable) {
  const unsigned each = 1024 + kQemuOverheadMiB;
  EXPECT_EQ(GuestsThatFit(2, 23000, 1024).guests, 2u);
  EXPECT_EQ(GuestsThatFit(2, 23000, 1024).note, "");
  EXPECT_EQ(GuestsThatFit(8, 3 * each + 10, 1024).guests, 3u);
  EXPECT_EQ(GuestsThatFit(8, 3 * each + 10, 1024).note,
            "-j 8 cut to 3: each guest needs 1280 MiB, 3850 MiB available");
  EXPECT_EQ(GuestsThatFit(4, 100, 1024).guests, 1u) << "one guest always runs";
  EXPECT_EQ(GuestsThatFit(4, 0, 1024).guests, 4u) << "MemAvailable unknown: no cut";
  EXPECT_EQ(GuestsThatFit(0, 23000, 1024).guests, 1u);
}

}  // namespace
}  // namespace eofzero::suite
