#include "scratch/scratch_target.h"

#include <gtest/gtest.h>
#include <sys/sysmacros.h>

namespace eofzero::scratch {
namespace {

using Strings = std::vector<std::string>;

// /dev/vdb (254:16) with partitions vdb1 (254:17) and vdb2 (254:18).
os::DeviceFamily Vdb() { return {makedev(254, 16), {makedev(254, 17), makedev(254, 18)}, {}}; }
// The partition vdb1 alone: its whole disk is vdb.
os::DeviceFamily Vdb1() { return {makedev(254, 17), {}, makedev(254, 16)}; }

DeviceUseFacts Facts() {
  DeviceUseFacts f;
  f.own_namespace = 4026531841;
  f.namespaces = {{1,
                   "init",
                   4026531841,
                   {{makedev(253, 0), "/dev/vda", "/", "ext4"},
                    {makedev(0, 22), "proc", "/proc", "proc"},
                    {makedev(7, 1), "/dev/loop1", "/mnt/a b", "ext4"}}},
                  {412, "sleep", 4026532200, {{makedev(253, 0), "/dev/vda", "/", "ext4"}}}};
  return f;
}

TEST(MountsOf, FindsTheDeviceAndItsPartitionsByNumberInEveryNamespace) {
  DeviceUseFacts f = Facts();
  EXPECT_TRUE(MountsOf(Vdb(), f).empty());
  f.namespaces[0].mounts.push_back({makedev(254, 18), "/dev/vdb2", "/home", "xfs"});
  EXPECT_EQ(MountsOf(Vdb(), f), Strings{"/dev/vdb2 on /home"});
  f = Facts();
  // The source's name does not matter: the number does.
  f.namespaces[1].mounts.push_back({makedev(254, 16), "/dev/disk/by-id/x", "/srv", "ext4"});
  EXPECT_EQ(MountsOf(Vdb(), f),
            Strings{"/dev/disk/by-id/x on /srv in the mount namespace of pid 412 (sleep)"});
  // A partition is written over when its whole disk is mounted.
  EXPECT_EQ(MountsOf(Vdb1(), f),
            Strings{"its whole disk, /dev/disk/by-id/x on /srv in the mount namespace of pid 412 "
                    "(sleep)"});
}

// A raw access refused with EBUSY after our unmount: a namespace made while
// the filesystem was mounted keeps its copy of the mount.
TEST(BusyBecause, NamesTheMountsThenTheOtherUsers) {
  DeviceUseFacts f = Facts();
  EXPECT_EQ(BusyBecause(Vdb(), f), "");
  f.namespaces[1].mounts.push_back({makedev(254, 17), "/dev/vdb1", "/mnt", "ext4"});
  f.swaps = {{"/dev/vdb2", makedev(254, 18), 0}};
  EXPECT_EQ(BusyBecause(Vdb(), f),
            "/dev/vdb1 on /mnt in the mount namespace of pid 412 (sleep); it is active swap "
            "(/dev/vdb2)");
}

TEST(OtherUsersOf, LoopDevicesBackedByTheDeviceEvenThroughARemovedNode) {
  DeviceUseFacts f = Facts();
  f.loops = {{"loop5", makedev(7, 5), makedev(0, 6), 991, makedev(254, 16), "/tmp/node (deleted)"}};
  EXPECT_EQ(OtherUsersOf(Vdb(), f),
            Strings{"/dev/loop5 is backed by it (through /tmp/node (deleted))"});
  // A loop device over the whole disk covers its partitions too.
  EXPECT_EQ(OtherUsersOf(Vdb1(), f).size(), 1u);
  f.loops[0].file_rdev = makedev(254, 32);
  EXPECT_TRUE(OtherUsersOf(Vdb(), f).empty());
}

TEST(OtherUsersOf, LoopDevicesBackedByAFileOnTheDevice) {
  DeviceUseFacts f = Facts();
  // A filesystem on vdb2, lazily unmounted, still holds the loop's backing file.
  f.loops = {{"loop6", makedev(7, 6), makedev(254, 18), 12, 0, "/mnt/gone/img (deleted)"}};
  EXPECT_EQ(OtherUsersOf(Vdb(), f),
            Strings{"/dev/loop6 is backed by a file on it (/mnt/gone/img (deleted))"});
  f.loops[0].file_dev = makedev(253, 0);
  EXPECT_TRUE(OtherUsersOf(Vdb(), f).empty());
}

TEST(OtherUsersOf, HoldersAndSwap) {
  DeviceUseFacts f = Facts();
  f.holders[makedev(254, 17)] = {"dm-0"};
  f.swaps = {{"/dev/vdb2", makedev(254, 18), makedev(0, 6)}, {"/swapfile", 0, makedev(253, 0)}};
  EXPECT_EQ(OtherUsersOf(Vdb(), f), (Strings{"dm-0 holds it", "it is active swap (/dev/vdb2)"}));
  f.holders.clear();
  f.swaps = {{"/srv/swapfile", 0, makedev(254, 17)}};
  EXPECT_EQ(OtherUsersOf(Vdb(), f), Strings{"it holds the active swap file /srv/swapfile"});
}

// Another eofzero run's device — even while that run has it unmounted for a
// moment (the plant, a cycle_mount) — is in use: by its registry entry.
TEST(OtherUsersOf, ALiveEofzeroRunsDevicesAndLoopDevices) {
  DeviceUseFacts f = Facts();
  RunEntry run;
  run.owner.pid = 77;
  run.devices = {makedev(254, 16)};
  f.live_runs = {run};
  EXPECT_EQ(OtherUsersOf(Vdb(), f), Strings{"eofzero run 77 uses it"});
  // The loop device over a live run's image.
  run.devices.clear();
  run.images = {{"/var/tmp/eofzero.abcdef/xfs-4096.img", makedev(253, 0), 4242}};
  f.live_runs = {run};
  f.loops = {{"loop7", makedev(7, 7), makedev(253, 0), 4242, 0, run.images[0].path}};
  const os::DeviceFamily loop7{makedev(7, 7), {}, {}};
  EXPECT_EQ(OtherUsersOf(loop7, f), Strings{"eofzero run 77 uses it"});
  EXPECT_TRUE(OtherUsersOf(Vdb(), f).empty());
}

TEST(IsMountTarget, ComparesWholePathsInOurNamespaceOnly) {
  DeviceUseFacts f = Facts();
  EXPECT_TRUE(IsMountTarget(f, "/proc"));
  EXPECT_TRUE(IsMountTarget(f, "/mnt/a b"));
  EXPECT_FALSE(IsMountTarget(f, "/mnt"));
  EXPECT_FALSE(IsMountTarget(f, "/procx"));
  f.namespaces[1].mounts.push_back({makedev(0, 40), "tmpfs", "/elsewhere", "tmpfs"});
  EXPECT_FALSE(IsMountTarget(f, "/elsewhere"));
}

}  // namespace
}  // namespace eofzero::scratch
