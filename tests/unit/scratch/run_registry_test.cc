#include "scratch/run_registry.h"

#include <gtest/gtest.h>

namespace eofzero::scratch {
namespace {

const os::ProcessIdentity kOwner{42, 7, "boot"};

TEST(RunRegistry, AnEntryReadsBackWhatWasNoted) {
  auto entry = ParseRunEntry(OwnerLine(kOwner, 43) + RunDirLine({"/w/eofzero.X", 1, 2}) +
                             ImageLine({"/w/eofzero.X/ext4-4096.img", 1, 3}) +
                             DeviceLine(1792) + MountLine({"/w/eofzero.X/m", 1792, "u-1"}) +
                             ServedMountLine("/w/eofzero.X/f"));
  ASSERT_TRUE(entry) << entry.error();
  EXPECT_EQ(entry->owner.pid, 42);
  EXPECT_EQ(entry->guardian, 43);
  EXPECT_EQ(entry->devices, std::vector<std::uint64_t>{1792});
  ASSERT_EQ(entry->mounts.size(), 1u);
  EXPECT_EQ(entry->mounts[0].uuid, "u-1");
  EXPECT_EQ(entry->served_mounts, std::vector<std::string>{"/w/eofzero.X/f"});
  EXPECT_FALSE(ParseRunEntry(DeviceLine(1)));  // no owner
}

// A device the run let go of is no longer its own: another run may take the
// same number (the kernel hands a free loop device out again), and no
// guardian leaves that run's mount alone for it. Taken again, it is the
// run's again.
TEST(RunRegistry, AReleasedDeviceIsNoLongerTheRuns) {
  const std::string first = OwnerLine(kOwner, 43) + DeviceLine(1792) + DeviceLine(1793) +
                            MountLine({"/w/a", 1792, "u-1"}) + MountLine({"/w/b", 1793, "u-2"}) +
                            ReleasedLine(1792);
  auto entry = ParseRunEntry(first);
  ASSERT_TRUE(entry) << entry.error();
  EXPECT_EQ(entry->devices, std::vector<std::uint64_t>{1793});
  ASSERT_EQ(entry->mounts.size(), 1u);
  EXPECT_EQ(entry->mounts[0].target, "/w/b");

  entry = ParseRunEntry(first + DeviceLine(1792) + MountLine({"/w/c", 1792, "u-3"}));
  ASSERT_TRUE(entry) << entry.error();
  EXPECT_EQ(entry->devices, (std::vector<std::uint64_t>{1793, 1792}));
  ASSERT_EQ(entry->mounts.size(), 2u);
  EXPECT_EQ(entry->mounts[1].target, "/w/c");
}

}  // namespace
}  // namespace eofzero::scratch
