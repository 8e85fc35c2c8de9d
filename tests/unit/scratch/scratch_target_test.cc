#include "scratch/scratch_target.h"

#include <gtest/gtest.h>
#include <sys/sysmacros.h>

namespace eofzero::scratch {
namespace {

std::vector<os::MountEntry> Table() {
  return {{makedev(253, 0), "/dev/vda", "/", "ext4"},
          {makedev(0, 22), "proc", "/proc", "proc"},
          {makedev(259, 3), "/dev/nvme0n1p3", "/home", "xfs"},
          {makedev(7, 1), "/dev/loop1", "/mnt/a b", "ext4"}};
}

TEST(MountsOfDevices, FindsTheDeviceAndItsPartitionsByNumber) {
  EXPECT_TRUE(MountsOfDevices(Table(), {makedev(7, 2)}).empty());
  EXPECT_EQ(MountsOfDevices(Table(), {makedev(7, 1)}),
            std::vector<std::string>{"/dev/loop1 on /mnt/a b"});
  // A whole disk whose third partition is mounted.
  EXPECT_EQ(MountsOfDevices(Table(), {makedev(259, 0), makedev(259, 1), makedev(259, 3)}),
            std::vector<std::string>{"/dev/nvme0n1p3 on /home"});
}

TEST(IsMountTarget, ComparesWholePaths) {
  EXPECT_TRUE(IsMountTarget(Table(), "/proc"));
  EXPECT_TRUE(IsMountTarget(Table(), "/mnt/a b"));
  EXPECT_FALSE(IsMountTarget(Table(), "/mnt"));
  EXPECT_FALSE(IsMountTarget(Table(), "/procx"));
}

}  // namespace
}  // namespace eofzero::scratch
