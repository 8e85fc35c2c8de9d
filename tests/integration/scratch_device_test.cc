// eofzero run on a scratch device the user gives (--scratch-dev/--scratch-mnt
// or fstests' SCRATCH_DEV/SCRATCH_MNT): it runs there and leaves the device
// unmounted; and it refuses a path that is not a block device, a device that
// is mounted, and a mount directory that does not exist or is a mount point,
// with one line and exit 2, touching nothing (the device's UUID is unchanged).
#include <fcntl.h>
#include <gtest/gtest.h>

#include <fstream>
#include <optional>

#include "harness.h"
#include "os/blkid_probe.h"
#include "os/file_io.h"
#include "os/loop_device.h"
#include "os/mount.h"
#include "os/process.h"
#include "os/unique_fd.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;

constexpr const char* kUuid = "0e0f2e50-0000-4000-8000-00000000abcd";

// A loop device of the test's own over a sparse file in its workdir, holding
// an ext4 with a known UUID; a directory to mount things on.
class ScratchDevice : public testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_ROOT();
    ASSERT_FALSE(wd_.path().empty());
    auto loop = AttachScratchImage(wd_);
    ASSERT_TRUE(loop) << loop.error().Message();
    loop_.emplace(std::move(*loop));
    auto mkfs = os::RunProcess({"mkfs.ext4", "-F", "-q", "-U", kUuid, dev()});
    ASSERT_TRUE(mkfs && mkfs->ok()) << (mkfs ? mkfs->Describe() : mkfs.error().Message());
    fs::create_directory(mnt());
  }

  void TearDown() override { ReleaseScratchImage(loop_, wd_); }

  const std::string& dev() const { return loop_->path(); }
  std::string mnt() const { return (wd_.path() / "mnt").string(); }
  std::string Uuid() const {
    auto id = os::ProbeFilesystem(dev());
    return id ? id->uuid : id.error().Message();
  }

  Workdir wd_;
  std::optional<os::LoopDevice> loop_;
};

void ExpectRefused(const Ran& ran, const std::string& message_start) {
  EXPECT_EQ(ran.exit_code, 2) << ran.out << ran.err;
  EXPECT_TRUE(ran.out.empty()) << ran.out;
  EXPECT_EQ(ran.err.rfind("eofzero: " + message_start, 0), 0u) << ran.err;
  EXPECT_EQ(CountOccurrences(ran.err, "\n"), 1) << "one line: " << ran.err;
}

TEST_F(ScratchDevice, RunsThereAndLeavesItUnmounted) {
  Ran ran = RunEofzero({"run", "--scratch-dev", dev(), "--scratch-mnt", mnt(), "--fs", "ext4",
                        "--case", "truncate_up", "--format", "fstests"});
  // Whether truncate_up passes is the kernel's business; that it ran here is ours.
  EXPECT_TRUE(ran.out.starts_with("truncate_up: PASS\n") ||
              ran.out.starts_with("truncate_up: FAIL: "))
      << ran.out << ran.err;
  EXPECT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.err;
  EXPECT_NE(Uuid(), kUuid) << "eofzero makes its own filesystem, with its own UUID";
  EXPECT_TRUE(fs::is_directory(mnt())) << "the user's mount directory stays";
}

TEST_F(ScratchDevice, RegularFileIsRefused) {
  const fs::path file = wd_.path() / "not-a-device";
  { std::ofstream(file) << "precious"; }
  Ran ran = RunEofzero({"run", "--scratch-dev", file.string(), "--scratch-mnt", mnt()});
  ExpectRefused(ran, "--scratch-dev: " + file.string() + " is not a block device");
  std::ifstream in(file);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "precious");
}

TEST_F(ScratchDevice, MountedDeviceIsRefused) {
  const fs::path elsewhere = wd_.path() / "elsewhere";
  fs::create_directory(elsewhere);
  {
    auto mounted = os::Mount::Create(dev(), elsewhere, "ext4", "");
    ASSERT_TRUE(mounted) << mounted.error().Message();
    Ran ran = RunEofzero({"run", "--scratch-dev", dev(), "--scratch-mnt", mnt()});
    ExpectRefused(ran, "--scratch-dev: " + dev() + " is mounted (" + dev() + " on " +
                           elsewhere.string() + ")");
    // Through fstests' variables, the message names the variable.
    ran = RunEofzeroWithEnv({"FSTYP=xfs", "SCRATCH_DEV=" + dev(), "SCRATCH_MNT=" + mnt()},
                            {"run", "--fstests"});
    ExpectRefused(ran, "SCRATCH_DEV: " + dev() + " is mounted");
    EXPECT_EQ(MountsUnder(wd_.path()), std::vector<std::string>{elsewhere.string()})
        << "the user's mount stays";
  }
  EXPECT_EQ(Uuid(), kUuid) << "the device was touched";
}

// A loop device on top of the scratch device (whose filesystem someone may
// have mounted) shows in no mount table and takes no exclusive open.
TEST_F(ScratchDevice, DeviceThatBacksALoopDeviceIsRefused) {
  auto upper = os::LoopDevice::Attach(dev(), 0);
  ASSERT_TRUE(upper) << upper.error().Message();
  Ran ran = RunEofzero({"run", "--fs", "ext4", "--scratch-dev", dev(), "--scratch-mnt", mnt()});
  ExpectRefused(ran, "--scratch-dev: " + dev() + " is in use (" + upper->path() +
                         " is backed by it); refusing to mkfs it");
  auto detached = upper->Detach();  // the test's own device, by the test
  EXPECT_TRUE(detached) << detached.error().Message();
  EXPECT_EQ(Uuid(), kUuid) << "the device was touched";
}

TEST_F(ScratchDevice, MissingMountDirIsRefused) {
  const std::string missing = (wd_.path() / "missing").string();
  Ran ran = RunEofzero({"run", "--scratch-dev", dev(), "--scratch-mnt", missing});
  ExpectRefused(ran, "--scratch-mnt: " + missing + " is not an existing directory");
  EXPECT_EQ(Uuid(), kUuid) << "the device was touched";
  EXPECT_FALSE(fs::exists(missing));
}

TEST_F(ScratchDevice, MountDirThatIsAMountPointIsRefused) {
  {
    auto tmpfs = os::Mount::Create("tmpfs", mnt(), "tmpfs", "size=1m");
    ASSERT_TRUE(tmpfs) << tmpfs.error().Message();
    Ran ran = RunEofzero({"run", "--scratch-dev", dev(), "--scratch-mnt", mnt()});
    ExpectRefused(ran, "--scratch-mnt: " + mnt() + " is a mount point");
  }
  EXPECT_EQ(Uuid(), kUuid) << "the device was touched";
}

TEST_F(ScratchDevice, FstestsVariableItCannotHonourIsRefused) {
  Ran ran = RunEofzeroWithEnv({"FSTYP=ext4", "SCRATCH_DEV=" + dev(), "SCRATCH_MNT=" + mnt(),
                               "MOUNT_OPTIONS=-o noatime --bind"},
                              {"run", "--fstests"});
  ExpectRefused(ran, "MOUNT_OPTIONS: cannot honour '--bind'");
  EXPECT_EQ(Uuid(), kUuid) << "the device was touched";
}

}  // namespace
}  // namespace eofzero::itest
