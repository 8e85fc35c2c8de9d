// Which block devices a mount sits on, decided over a recorded mount table:
// a btrfs mount's table device is an anonymous 0:N, so its member devices
// come from the facts read through the mount (BtrfsMountDevices), never from
// the source path the table shows.
#include "fsdriver/mount_identity.h"

#include <gtest/gtest.h>
#include <sys/sysmacros.h>

#include "fsdriver/btrfs.h"
#include "scratch/scratch_target.h"

namespace eofzero::fsdriver {
namespace {

using Strings = std::vector<std::string>;
constexpr const char* kOurUuid = "11111111-2222-3333-4444-555555555555";

std::vector<os::MountEntry> Table() {
  auto t = os::ReadMountTable(std::string(EOFZERO_FIXTURES_DIR) +
                              "/mountinfo/btrfs_ours_and_decoys.txt");
  EXPECT_TRUE(t) << t.error().Message();
  return t ? *t : std::vector<os::MountEntry>{};
}

const os::MountEntry& ById(const std::vector<os::MountEntry>& t, std::uint64_t id) {
  for (const auto& m : t)
    if (m.id == id) return m;
  static const os::MountEntry none;
  ADD_FAILURE() << "no mount " << id;
  return none;
}

// What BTRFS_IOC_FS_INFO and sysfs said through each btrfs mount's root.
os::BtrfsMountFacts FactsOf(std::uint64_t id) {
  switch (id) {
    case 46:
      return {46, makedev(0, 41), kOurUuid, {makedev(7, 0)}};
    case 47:
      return {47, makedev(0, 43), "99999999-2222-3333-4444-555555555555", {makedev(7, 2)}};
    default:  // 48: our UUID, another device
      return {48, makedev(0, 45), kOurUuid, {makedev(7, 5)}};
  }
}

TEST(MountIdentity, TheTableDeviceOfABtrfsMountIsAnonymous) {
  const auto t = Table();
  ASSERT_EQ(t.size(), 7u);
  EXPECT_EQ(ById(t, 46).devno, makedev(0, 40));
  EXPECT_EQ(ById(t, 46).source, "/dev/loop0");
  EXPECT_FALSE(SitsOn(TableDeviceOf(ById(t, 46)), makedev(7, 0)));
  EXPECT_TRUE(SitsOn(TableDeviceOf(ById(t, 49)), makedev(7, 3)));  // ext4: the device itself
}

TEST(MountIdentity, ABtrfsMountIsOursByItsDevicesAndUuidNotByItsSource) {
  const auto t = Table();
  auto ours = BtrfsMountDevices(ById(t, 46), FactsOf(46));
  ASSERT_TRUE(ours) << ours.error().Message();
  EXPECT_TRUE(IsOurs(*ours, makedev(7, 0), kOurUuid));
  EXPECT_EQ(ours->root_dev, makedev(0, 41));
  EXPECT_FALSE(IsOurs(*ours, makedev(7, 0), "99999999-2222-3333-4444-555555555555"));
  EXPECT_FALSE(IsOurs(*ours, makedev(7, 2), kOurUuid));
  // Another btrfs, and one that names our device and carries our UUID.
  for (std::uint64_t id : {47, 48}) {
    auto decoy = BtrfsMountDevices(ById(t, id), FactsOf(id));
    ASSERT_TRUE(decoy) << decoy.error().Message();
    EXPECT_FALSE(SitsOn(*decoy, makedev(7, 0))) << id;
    EXPECT_FALSE(IsOurs(*decoy, makedev(7, 0), kOurUuid)) << id;
  }
  // Two devices: not the filesystem a run made on one.
  MountDevices two{{makedev(7, 0), makedev(7, 1)}, kOurUuid, 0};
  EXPECT_TRUE(SitsOn(two, makedev(7, 1)));
  EXPECT_FALSE(IsOurs(two, makedev(7, 0), kOurUuid));
  EXPECT_EQ(DevicesText(two), "devices 7:0, 7:1");
}

TEST(MountIdentity, FactsReadThroughAnotherMountAreRefused) {
  const auto t = Table();
  auto wrong = BtrfsMountDevices(ById(t, 46), FactsOf(48));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().kind, os::ErrorKind::kSafety);
}

// Every namespace's mounts, judged by what they sit on: ours is named, the
// decoys are not (whatever their source says), and a mount whose devices
// could not be read is named with the reason (it may be on the device).
TEST(MountIdentity, MountsOfFindsABtrfsMountOfTheDeviceByItsMemberDevices) {
  scratch::DeviceUseFacts facts;
  facts.own_namespace = 4026531841;
  facts.namespaces = {{1, "init", 4026531841, Table()}};
  for (std::uint64_t id : {46, 47, 48})
    facts.mount_devices[id] = *BtrfsMountDevices(ById(facts.namespaces[0].mounts, id), FactsOf(id));
  const os::DeviceFamily loop0{makedev(7, 0), {}, {}};
  EXPECT_EQ(scratch::MountsOf(loop0, facts), Strings{"/dev/loop0 on /tmp/btrfsx/m"});
  EXPECT_EQ(scratch::MountsOf({makedev(7, 5), {}, {}}, facts),
            Strings{"/dev/loop0 on /tmp/btrfsx/md"});
  EXPECT_EQ(scratch::MountsOf({makedev(7, 3), {}, {}}, facts), Strings{"/dev/loop3 on /tmp/btrfsx/e"});

  facts.mount_devices.erase(46);
  EXPECT_TRUE(scratch::MountsOf(loop0, facts).empty()) << "0:40 is no block device";
  facts.unreadable_mounts[46] = "open /tmp/btrfsx/m: Permission denied";
  facts.namespaces[0].ns = 4026532200;
  facts.namespaces[0].pid = 412;
  facts.namespaces[0].comm = "sleep";
  EXPECT_EQ(scratch::MountsOf({makedev(7, 9), {}, {}}, facts),
            Strings{"/dev/loop0 on /tmp/btrfsx/m in the mount namespace of pid 412 (sleep) (which "
                    "devices it sits on cannot be read: open /tmp/btrfsx/m: Permission denied)"});
}

}  // namespace
}  // namespace eofzero::fsdriver
