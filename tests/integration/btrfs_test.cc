// btrfs on this machine: its mounts are told apart by the devices under
// them, never by the anonymous 0:N its mount table entry shows, nor by a
// path. Ours is recognised; a decoy btrfs on another loop device (another
// UUID, or a clone carrying ours) mounted over ours is never acted on nor
// unmounted; a mount of our device kept in another mount namespace stops a
// raw write, and the refusal names it.
#include <gtest/gtest.h>
#include <sys/sysmacros.h>

#include <fstream>

#include "fsdriver/mount_identity.h"
#include "harness.h"
#include "os/blkid_probe.h"
#include "os/block_device.h"
#include "os/mount.h"
#include "os/process.h"
#include "engine/case_file.h"
#include "engine/scenario.h"
#include "oracles/crash_states.h"
#include "scratch/raw_access.h"
#include "scratch/write_log.h"
#include "suite/crash_state_check.h"
#include "scratch/scratch_fs.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;

scratch::ScratchSpec Btrfs() {
  scratch::ScratchSpec spec;
  spec.fs = fsdriver::FsType::kBtrfs;
  return spec;
}

std::unique_ptr<scratch::ScratchFs> MakeBtrfs(const Workdir& wd, const std::string& name) {
  auto fs = scratch::ScratchFs::Create(Btrfs(), wd.path(), name);
  EXPECT_TRUE(fs) << fs.error().Message();
  return fs ? std::move(*fs) : nullptr;
}

Bytes ImageBytes(const fs::path& image, std::uint64_t offset, std::size_t n) {
  std::ifstream in(image, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  Bytes b(n);
  in.read(reinterpret_cast<char*>(b.data()), static_cast<std::streamsize>(n));
  return b;
}

// What is mounted on `dir` now sits on `devno` (by its driver's reading).
bool TopSitsOn(const fs::path& dir, std::uint64_t devno) {
  auto top = os::TopMountAt(dir.string());
  if (!top || !*top) return false;
  auto on = fsdriver::DevicesOfMount(**top, dir.string());
  return on && fsdriver::SitsOn(*on, devno);
}

TEST(BtrfsMount, OursIsRecognisedByItsDeviceThoughTheTableShowsAnAnonymousOne) {
  REQUIRE_ROOT();
  Workdir wd;
  {
    auto fs = MakeBtrfs(wd, "ours");
    ASSERT_TRUE(fs);
    auto top = os::TopMountAt(fs->mount_dir().string());
    ASSERT_TRUE(top && *top);
    EXPECT_NE((*top)->devno, fs->devno()) << "the table shows the loop device itself";
    auto id = fs->IdentifyMount(fs->mount_dir());
    ASSERT_TRUE(id) << id.error().Message();
    EXPECT_EQ(id->table_dev, (*top)->devno);
    EXPECT_TRUE(fs->CheckMountIsOurs());
    EXPECT_TRUE(TopSitsOn(fs->mount_dir(), fs->devno()));
    ASSERT_TRUE(fs->Unmount());
    ASSERT_TRUE(fs->Mount());  // a new mount: identified again
    EXPECT_TRUE(fs->CheckMountIsOurs());
  }
  ExpectNothingLeft(wd);
}

// A decoy mounted over ours: no step acts on it, nothing of ours unmounts
// it; with it gone, all is ours again.
void ExpectDecoyLeftAlone(scratch::ScratchFs& fs, const os::LoopDevice& decoy,
                          std::uint64_t decoy_devno) {
  auto over = os::Mount::Create(decoy.path(), fs.mount_dir(), "btrfs", "");
  if (!over) GTEST_SKIP() << "the decoy does not mount here: " << over.error().Message();
  auto check = fs.CheckMountIsOurs();
  ASSERT_FALSE(check);
  EXPECT_EQ(check.error().kind, os::ErrorKind::kSafety) << check.error().Message();
  auto id = fs.IdentifyMount(fs.mount_dir());
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().kind, os::ErrorKind::kSafety) << id.error().Message();
  auto down = fs.Unmount();
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().kind, os::ErrorKind::kSafety) << down.error().Message();
  EXPECT_TRUE(TopSitsOn(fs.mount_dir(), decoy_devno)) << "the decoy was unmounted";
  ASSERT_TRUE(over->Unmount());
  EXPECT_TRUE(fs.CheckMountIsOurs());
}

TEST(BtrfsMount, ADecoyWithAnotherUuidMountedOverOursIsNeverActedOnNorUnmounted) {
  REQUIRE_ROOT();
  Workdir wd;
  {
    auto fs = MakeBtrfs(wd, "ours");
    ASSERT_TRUE(fs);
    auto decoy = AttachScratchImage(wd, "decoy.img");
    ASSERT_TRUE(decoy) << decoy.error().Message();
    auto made = os::RunProcess({"mkfs.btrfs", "-f", "-q", "-U",
                                "0badc0de-0000-4000-8000-000000000001", decoy->path()});
    ASSERT_TRUE(made && made->ok()) << (made ? made->Describe() : made.error().Message());
    auto devno = os::DeviceNumber(decoy->path());
    ASSERT_TRUE(devno);
    ExpectDecoyLeftAlone(*fs, *decoy, *devno);
    EXPECT_TRUE(decoy->Detach());
  }
  ExpectNothingLeft(wd);
}

// A clone of our image carries our UUID (blkid reads it on the decoy); the
// kernel may mount it beside ours under a temporary fsid, or refuse (then
// the test is skipped: nothing here says what a kernel must do).
TEST(BtrfsMount, ACloneCarryingOurUuidMountedOverOursIsNeverActedOnNorUnmounted) {
  REQUIRE_ROOT();
  Workdir wd;
  {
    auto fs = MakeBtrfs(wd, "ours");
    ASSERT_TRUE(fs);
    ASSERT_TRUE(fs->Unmount());
    const fs::path clone = wd.path() / "clone.img";
    auto copied = os::RunProcess({"cp", "--sparse=always", fs->image_path().string(), clone.string()});
    ASSERT_TRUE(copied && copied->ok());
    ASSERT_TRUE(fs->Mount());
    auto decoy = os::LoopDevice::Attach(clone, 0);
    ASSERT_TRUE(decoy) << decoy.error().Message();
    auto id = os::ProbeFilesystem(decoy->path());
    ASSERT_TRUE(id && id->uuid == fs->uuid());
    auto devno = os::DeviceNumber(decoy->path());
    ASSERT_TRUE(devno);
    ExpectDecoyLeftAlone(*fs, *decoy, *devno);
    EXPECT_TRUE(decoy->Detach());
  }
  ExpectNothingLeft(wd);
}

// A namespace made while ours was mounted keeps its copy of the mount after
// our unmount: the device is still a mounted btrfs's, the raw write is
// refused, and the refusal names that mount by its namespace.
TEST(BtrfsMount, AMountOfOurDeviceInAnotherNamespaceBlocksTheRawWriteAndIsNamed) {
  REQUIRE_ROOT();
  Workdir wd;
  {
    auto fs = MakeBtrfs(wd, "held");
    ASSERT_TRUE(fs);
    auto holder = StartAndReadUntil({"unshare", "--mount", "--propagation", "private", "sh", "-c",
                                     "echo ready && exec sleep 120"},
                                    wd.path() / "unshare.out", "ready\n");
    ASSERT_TRUE(holder.seen);
    ASSERT_TRUE(fs->Unmount());
    const std::uint64_t off = 64 << 20;
    scratch::BlockLocation where{off, 4096, {0, off, 4096, 0}};
    const Bytes sentinel(4096, 0xAB);
    auto wrote = scratch::WriteInsideExtent(*fs, where, off, sentinel);
    holder.child->Kill();
    WaitFor(*holder.child);
    ASSERT_FALSE(wrote);
    EXPECT_NE(wrote.error().Message().find(fs->device() + " on " + fs->mount_dir().string() +
                                           " in the mount namespace of pid " +
                                           std::to_string(holder.child->pid())),
              std::string::npos)
        << wrote.error().Message();
    // (The filesystem the namespace kept may write there itself.)
    EXPECT_NE(ImageBytes(fs->image_path(), off, 4096), sentinel) << "the raw write happened";
  }
  ExpectNothingLeft(wd);
}

// A case for 1 KiB blocks on btrfs, whose sectors are 4K to 64K: a SKIP with
// the driver's reason, not a setup ERROR.
TEST(BtrfsRun, ACaseForBlocksBtrfsCannotMakeIsSkippedWithTheReason) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzero({"run", "--fs", "btrfs", "--case", "truncate_up_1k", "--workdir", wd.str()});
  EXPECT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_EQ(LinesStartingWith(ran.out, "SKIP").size(), 1u) << ran.out;
  EXPECT_EQ(CountOccurrences(ran.out, "mkfs.btrfs makes no 1024-byte sectors"), 1) << ran.out;
  ExpectNothingLeft(wd);
}

// The project's rule for every new way of running a case: it gives the case's
// own verdict. A case whose crash on btrfs is a crash state of the write log
// (no shutdown ioctl): each of its states checked alone, on a server of its
// own, gets the verdict the states run gives it in its series, and together
// they give the case the same verdict. Whatever the verdict is.
TEST(BtrfsCrashStates, EachStateCheckedAloneGivesTheVerdictTheRunGivesIt) {
  REQUIRE_ROOT_AND_FUSE();
  Workdir wd;
  auto c = engine::LoadCaseFile(fs::path(EOFZERO_SOURCE_DIR) / "cases" / "append_write_fsync.toml");
  ASSERT_TRUE(c) << c.error();
  scratch::ScratchSpec spec = Btrfs();
  spec.record_log = (wd.path() / "btrfs-4096.ezlog").string();
  engine::CaseRun run;
  std::string uuid;
  {
    auto made = scratch::ScratchFs::Create(spec, wd.path(), "equal");
    ASSERT_TRUE(made) << made.error().Message();
    run = engine::RunCase(**made, *c, engine::ScenarioOptions{});
    uuid = (*made)->uuid();
    ASSERT_TRUE((*made)->FinishRecording());
  }
  ASSERT_TRUE(run.crash_point.has_value()) << run.reason;
  auto log = scratch::ReadWriteLog(spec.record_log);
  ASSERT_TRUE(log) << log.error().Message();
  const suite::StateSource source{&*log, spec.record_log, spec, uuid, run.block_size, wd.path(),
                                  nullptr};
  suite::CrashStatesOptions options;
  options.enabled = true;
  const suite::InterruptPoll none = [] { return 0; };
  const auto all = suite::CheckCrashStates(source, *c, {}, run, options, none);
  ASSERT_FALSE(all.states.empty()) << all.error << all.not_run << all.not_checked;
  oracles::CrashStates alone = all;
  alone.states.clear();
  for (const auto& state : all.states) {
    SCOPED_TRACE(state.address);
    auto address = scratch::ParseStateAddress(state.address);
    ASSERT_TRUE(address) << address.error();
    options.only = *address;
    auto one = suite::CheckCrashStates(source, *c, {}, run, options, none);
    ASSERT_EQ(one.states.size(), 1u) << one.error;
    EXPECT_EQ(one.states[0].outcome, state.outcome)
        << "alone: " << one.states[0].summary << "; in the series: " << state.summary;
    alone.states.push_back(one.states[0]);
  }
  oracles::JudgeCrashStates(alone);
  EXPECT_EQ(alone.outcome, all.outcome) << alone.summary << " / " << all.summary;
  ExpectNothingLeft(wd);
  ExpectNoServerLeft();
}

// Every oracle path the btrfs driver adds has a control seen failing: the
// plant's chunk mapping (stale_after_crash re-plants through it), the
// offline reader (dump-tree), the cache fault on a superblock mirror and
// the metadata dump (two views); a clean remount stands in for the crash the
// controls' faults follow. The fsck control cannot apply (a btrfs directory
// has no data block): a SKIP with that reason. A baseline that does not pass
// is the kernel's finding ("?", exit 1), not a broken oracle.
TEST(BtrfsSelftest, EveryControlThatAppliesDetectsItsFaultAndTheFsckControlSaysWhyNot) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzero({"selftest", "--fs", "btrfs", "--workdir", wd.str()});
  EXPECT_TRUE(ran.exit_code == 0 ||
              (ran.exit_code == 1 &&
               ran.out.find("did not pass, so the controls") != std::string::npos))
      << ran.out << ran.err;
  EXPECT_EQ(CountOccurrences(ran.out, " NO "), 0) << ran.out;
  EXPECT_EQ(CountOccurrences(ran.out, "corrupt_directory: SKIP  btrfs directories have no data "
                                      "blocks"),
            1)
      << ran.out;
  if (ran.exit_code == 0) {
    EXPECT_EQ(CountOccurrences(ran.out, " yes "), 14) << ran.out;  // 15 rows, fsck skipped
    EXPECT_EQ(CountOccurrences(ran.out, " skip "), 1) << ran.out;
  }
  ExpectNothingLeft(wd);
}

}  // namespace
}  // namespace eofzero::itest
