// eofzero run on a scratch device the user gives (--scratch-dev/--scratch-mnt
// or fstests' SCRATCH_DEV/SCRATCH_MNT): it runs there and leaves the device
// unmounted; and it refuses a path that is not a block device, a device that
// is mounted, and a mount directory that does not exist or is a mount point,
// with one line and exit 2, touching nothing (the device's UUID is unchanged).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/sysmacros.h>

#include <cstring>
#include <fstream>
#include <optional>

#include "harness.h"
#include "os/blkid_probe.h"
#include "os/child.h"
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
                         " is backed by it (through " + dev() + ")); refusing to mkfs it");
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

// The hostile run's defect: a loop device set up through a device node that
// was later removed. sysfs then names its backing file "NODE (deleted)", a
// path that leads nowhere; only the device number says it is this device.
TEST_F(ScratchDevice, ALoopDeviceBackedThroughARemovedNodeIsRefusedWhileItIsMounted) {
  struct stat st {};
  ASSERT_EQ(::stat(dev().c_str(), &st), 0);
  const fs::path node = wd_.path() / "node";
  ASSERT_EQ(::mknod(node.c_str(), S_IFBLK | 0600, st.st_rdev), 0) << std::strerror(errno);
  auto upper = os::LoopDevice::Attach(node, 0);
  ASSERT_TRUE(upper) << upper.error().Message();
  fs::remove(node);
  const fs::path used = wd_.path() / "in-use";
  fs::create_directory(used);
  {
    auto mounted = os::Mount::Create(upper->path(), used, "ext4", "");
    ASSERT_TRUE(mounted) << mounted.error().Message();
    Ran ran = RunEofzero({"run", "--fs", "ext4", "--scratch-dev", dev(), "--scratch-mnt", mnt()});
    ExpectRefused(ran, "--scratch-dev: " + dev() + " is in use (" + upper->path() +
                           " is backed by it (through " + node.string() + " (deleted)))");
  }
  EXPECT_TRUE(upper->Detach());
  EXPECT_EQ(Uuid(), kUuid) << "the device was touched";
}

// A filesystem unmounted lazily (umount -l) leaves every mount table while a
// loop device still reads and writes a file on it.
TEST_F(ScratchDevice, ALoopDeviceBackedByAFileOnItIsRefusedAfterALazyUnmount) {
  const fs::path lazy = wd_.path() / "lazy";
  fs::create_directory(lazy);
  std::optional<os::LoopDevice> upper;
  {
    auto mounted = os::Mount::Create(dev(), lazy, "ext4", "");
    ASSERT_TRUE(mounted) << mounted.error().Message();
    WriteFile(lazy / "img", "");
    fs::resize_file(lazy / "img", 16 << 20);
    auto attached = os::LoopDevice::Attach(lazy / "img", 0);
    ASSERT_TRUE(attached) << attached.error().Message();
    upper.emplace(std::move(*attached));
    ASSERT_EQ(::umount2(lazy.c_str(), MNT_DETACH), 0) << std::strerror(errno);
  }
  Ran ran = RunEofzero({"run", "--fs", "ext4", "--scratch-dev", dev(), "--scratch-mnt", mnt()});
  ExpectRefused(ran, "--scratch-dev: " + dev() + " is in use (" + upper->path() +
                         " is backed by a file on it (");
  EXPECT_TRUE(upper->Detach());
  upper.reset();
  EXPECT_EQ(Uuid(), kUuid) << "the device was touched";
}

// A mount in another mount namespace shows in no table of ours.
TEST_F(ScratchDevice, DeviceMountedInAnotherMountNamespaceIsRefused) {
  const fs::path there = wd_.path() / "there";
  fs::create_directory(there);
  auto holder = StartAndReadUntil(
      {"unshare", "--mount", "--propagation", "private", "sh", "-c",
       "mount " + dev() + " " + there.string() + " && echo ready && exec sleep 120"},
      wd_.path() / "unshare.out", "ready\n");
  ASSERT_TRUE(holder.seen);
  Ran ran = RunEofzero({"run", "--fs", "ext4", "--scratch-dev", dev(), "--scratch-mnt", mnt()});
  ExpectRefused(ran, "--scratch-dev: " + dev() + " is mounted (" + dev() + " on " + there.string() +
                         " in the mount namespace of pid " + std::to_string(holder.child->pid()));
  holder.child->Kill();
  WaitFor(*holder.child);
  EXPECT_EQ(Uuid(), kUuid) << "the device was touched";
}

// Active swap on the device (swapon claims it; /proc/swaps names it).
TEST_F(ScratchDevice, ActiveSwapIsRefused) {
  auto swap = AttachScratchImage(wd_, "swap.img", 64 << 20);
  ASSERT_TRUE(swap) << swap.error().Message();
  auto made = os::RunProcess({"mkswap", swap->path()});
  ASSERT_TRUE(made && made->ok()) << (made ? made->Describe() : made.error().Message());
  ASSERT_EQ(::swapon(swap->path().c_str(), 0), 0) << std::strerror(errno);
  Ran ran =
      RunEofzero({"run", "--fs", "ext4", "--scratch-dev", swap->path(), "--scratch-mnt", mnt()});
  EXPECT_EQ(::swapoff(swap->path().c_str()), 0) << std::strerror(errno);
  ExpectRefused(ran, "--scratch-dev: " + swap->path() + " is in use (it is active swap (" +
                         swap->path() + "))");
  auto id = os::ProbeFilesystem(swap->path());
  EXPECT_TRUE(id && id->type == "swap") << "the device was touched";
  EXPECT_TRUE(swap->Detach());
}

// A device too small for the filesystem is refused before mkfs wipes it.
TEST_F(ScratchDevice, DeviceTooSmallForTheFilesystemIsRefusedBeforeMkfs) {
  auto small = AttachScratchImage(wd_, "small.img", 64 << 20);
  ASSERT_TRUE(small) << small.error().Message();
  auto made = os::RunProcess({"mkfs.ext4", "-F", "-q", "-U", kUuid, small->path()});
  ASSERT_TRUE(made && made->ok());
  Ran ran =
      RunEofzero({"run", "--fs", "xfs", "--scratch-dev", small->path(), "--scratch-mnt", mnt()});
  ExpectRefused(ran, "--scratch-dev: " + small->path() + " is 64 MiB; mkfs.xfs needs 300M");
  auto id = os::ProbeFilesystem(small->path());
  EXPECT_TRUE(id && id->uuid == kUuid) << "the device was touched";
  EXPECT_TRUE(small->Detach());
}

// mkfs options that name another device: mkfs.xfs would format it as an
// external log. Refused when the options are read, before anything is touched.
TEST_F(ScratchDevice, MkfsOptionsNamingAnotherDeviceAreRefused) {
  auto other = AttachScratchImage(wd_, "other.img", 128 << 20);
  ASSERT_TRUE(other) << other.error().Message();
  constexpr const char* kOtherUuid = "0e0f2e50-0000-4000-8000-00000000ef01";
  auto made = os::RunProcess({"mkfs.ext4", "-F", "-q", "-U", kOtherUuid, other->path()});
  ASSERT_TRUE(made && made->ok());
  Ran ran = RunEofzero({"run", "--fs", "xfs", "--scratch-dev", dev(), "--scratch-mnt", mnt(),
                        "--mkfs-options", "-l logdev=" + other->path() + ",size=64m"});
  ExpectRefused(ran, "--mkfs-options: '-l logdev=" + other->path() +
                         ",size=64m' names an external log device");
  ran = RunEofzero({"run", "--fs", "ext4", "--scratch-dev", dev(), "--scratch-mnt", mnt(),
                    "--mkfs-options", "-q " + other->path()});
  ExpectRefused(ran, "--mkfs-options: '" + other->path() + "' is not an option of mkfs.ext4");
  auto id = os::ProbeFilesystem(other->path());
  EXPECT_TRUE(id && id->uuid == kOtherUuid) << "the other device was touched";
  EXPECT_EQ(Uuid(), kUuid) << "the device was touched";
  EXPECT_TRUE(other->Detach());
}

}  // namespace
}  // namespace eofzero::itest
