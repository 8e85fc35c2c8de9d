// What a killed run leaves behind is released — by its guardian the moment
// it dies, or, when the guardian died too, by the next run or `eofzero
// cleanup` — and nothing else is ever touched: not a live run's, not a
// folder that only looks like one of ours.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

#include "harness.h"
#include "os/child.h"
#include "os/mount.h"
#include "os/process.h"
#include "os/process_identity.h"
#include "scratch/run_registry.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;

// Each test keeps its own registry, so that its runs and its checks see only
// its own entries.
class Leftovers : public testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_ROOT();
    ASSERT_FALSE(wd_.path().empty());
    state_ = fs::path(wd_.str() + ".state");
    fs::create_directories(state_);
    ::setenv("EOFZERO_STATE_DIR", state_.c_str(), 1);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(state_, ec);
  }

  fs::path registry() const { return state_ / "runs"; }
  std::vector<fs::path> Entries() const {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(registry(), ec))
      if (e.path().extension() == ".run") out.push_back(e.path());
    return out;
  }
  std::vector<std::string> RunFolders() const { return RunFoldersUnder(wd_.path()); }
  // A guardian removes the entry last: once it is gone, the guardian is done.
  bool RegistryEmptied() const {
    for (int i = 0; i < 100 && !Entries().empty(); ++i) ::usleep(50 * 1000);
    return Entries().empty();
  }

  Workdir wd_;
  fs::path state_;
};

// kill -9 at several moments of a run: attached, formatted, mounted, shut
// down. The guardian releases the mount, the loop device and the folder.
class KilledRun : public Leftovers, public testing::WithParamInterface<const char*> {};

TEST_P(KilledRun, ItsGuardianReleasesEverything) {
  Ran ran = RunEofzeroAndInterrupt(
      {"run", "--fs", "ext4", "--case", "truncate_up", "--workdir", wd_.str(), "-vv"}, GetParam(),
      SIGKILL);
  ASSERT_TRUE(ran.marker_seen) << ran.err;
  EXPECT_EQ(ran.term_signal, SIGKILL);
  EXPECT_TRUE(RegistryEmptied()) << "the registry entry stayed";
  ExpectNothingLeft(wd_);
}

INSTANTIATE_TEST_SUITE_P(Moments, KilledRun,
                         testing::Values("attached", "mkfs.ext4", ": plant", ": shutdown -f",
                                         ": cycle_mount"));

// Kills the guardian first, then the run, once the run has a mount: both are
// gone and everything the run made stays — until someone reclaims it.
void KillRunAndGuardian(const fs::path& workdir, const fs::path& registry) {
  const fs::path log = registry.parent_path() / "run.log";
  auto run = os::Child::Start(
      {EOFZERO_BINARY, "run", "--fs", "ext4", "--case", "*", "--workdir", workdir.string(), "-vv"},
      log);
  ASSERT_TRUE(run) << run.error().Message();
  for (int i = 0; i < 500 && ReadFile(log).find(": plant") == std::string::npos; ++i)
    ::usleep(20 * 1000);
  ASSERT_NE(ReadFile(log).find(": plant"), std::string::npos) << ReadFile(log);
  std::optional<scratch::RunEntry> entry;
  for (const auto& e : fs::directory_iterator(registry))
    if (e.path().extension() == ".run") entry = *scratch::ParseRunEntry(ReadFile(e.path()));
  ASSERT_TRUE(entry && entry->guardian > 0);
  ASSERT_EQ(::kill(entry->guardian, SIGKILL), 0);
  run->Kill();
  while (!run->Poll()) ::usleep(10 * 1000);
}

TEST_F(Leftovers, CleanupReclaimsWhatARunAndItsGuardianLeft) {
  KillRunAndGuardian(wd_.path(), registry());
  ::usleep(300 * 1000);  // a guardian that was not killed would have released it by now
  ASSERT_FALSE(RunFolders().empty()) << "nothing was left: the test proves nothing";
  const std::string left = RunFolders().front();
  Ran ran = RunEofzero({"cleanup"});
  EXPECT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_EQ(CountOccurrences(ran.out, "reclaimed: run "), 1) << ran.out;
  EXPECT_NE(ran.out.find("removed " + left), std::string::npos) << ran.out;
  ExpectNothingLeft(wd_);
  EXPECT_TRUE(RunFolders().empty());
  EXPECT_TRUE(Entries().empty());
  ran = RunEofzero({"cleanup"});
  EXPECT_EQ(ran.out, "nothing to reclaim (registry: " + registry().string() + ")\n");
}

TEST_F(Leftovers, TheNextRunReclaimsWhatARunAndItsGuardianLeft) {
  KillRunAndGuardian(wd_.path(), registry());
  ::usleep(300 * 1000);
  ASSERT_FALSE(RunFolders().empty()) << "nothing was left: the test proves nothing";
  const std::string left = RunFolders().front();
  Ran ran = RunEofzero({"run", "--fs", "ext4", "--case", "truncate_up", "--workdir", wd_.str()});
  EXPECT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.err;
  EXPECT_NE(ran.err.find("eofzero: reclaimed: run "), std::string::npos) << ran.err;
  EXPECT_NE(ran.err.find("removed " + left), std::string::npos) << ran.err;
  ExpectNothingLeft(wd_);
  EXPECT_TRUE(RunFolders().empty());
}

// Only what a dead owner recorded, and only while it still is what was
// recorded: a live run's entry, and a folder, mount and loop device that
// merely look like a run's, are left alone.
TEST_F(Leftovers, CleanupLeavesLiveRunsAndLookAlikesAlone) {
  // A look-alike: the test's own loop device, mounted in a folder of its own,
  // and an entry of a dead owner that names all of it exactly — folder and
  // image by device:inode, the mount by target and device number — but not
  // the filesystem (its UUID), and a folder eofzero would not have made.
  const fs::path decoy = wd_.path() / "eofzero.decoy";
  fs::create_directories(decoy / "ext4-4096.mnt");
  auto loop = AttachScratchImage(wd_, "eofzero.decoy/ext4-4096.img", 64 << 20);
  ASSERT_TRUE(loop) << loop.error().Message();
  auto made = os::RunProcess({"mkfs.ext4", "-F", "-q", loop->path()});
  ASSERT_TRUE(made && made->ok());
  auto mounted = os::Mount::Create(loop->path(), decoy / "ext4-4096.mnt", "ext4", "");
  ASSERT_TRUE(mounted) << mounted.error().Message();
  auto self = os::IdentityOf(::getpid());
  ASSERT_TRUE(self);
  os::ProcessIdentity dead = *self;
  dead.start_ticks += 1;  // this pid, but not this process: a dead owner
  struct stat dir {
  }, img{}, dev{};
  ASSERT_EQ(::stat(decoy.c_str(), &dir), 0);
  ASSERT_EQ(::stat((decoy / "ext4-4096.img").c_str(), &img), 0);
  ASSERT_EQ(::stat(loop->path().c_str(), &dev), 0);
  fs::create_directories(registry());
  WriteFile(registry() / "1-1.run",
            scratch::OwnerLine(dead, 0) +
                scratch::RunDirLine({decoy.string(), dir.st_dev, dir.st_ino}) +
                scratch::ImageLine({(decoy / "ext4-4096.img").string(), img.st_dev, img.st_ino}) +
                scratch::DeviceLine(dev.st_rdev) +
                scratch::MountLine({(decoy / "ext4-4096.mnt").string(), dev.st_rdev,
                                    "0e0f2e50-0000-4000-8000-00000000dead"}));
  // A live owner: this test.
  WriteFile(registry() / "2-2.run",
            scratch::OwnerLine(*self, 0) +
                scratch::RunDirLine({(wd_.path() / "eofzero.Live01").string(), 1, 4}));
  Ran ran = RunEofzero({"cleanup"});
  EXPECT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_NE(ran.out.find("left alone: " + (decoy / "ext4-4096.mnt").string() +
                         ": what is mounted there is not the filesystem the run made"),
            std::string::npos)
      << ran.out;
  EXPECT_NE(ran.out.find("left alone: " + decoy.string() + ": not the folder the run made"),
            std::string::npos)
      << ran.out;
  EXPECT_NE(ran.out.find("left alone: run " + std::to_string(::getpid()) + " is still running"),
            std::string::npos)
      << ran.out;
  EXPECT_EQ(MountsUnder(wd_.path()), std::vector<std::string>{(decoy / "ext4-4096.mnt").string()});
  EXPECT_EQ(LoopDevicesBackedUnder(wd_.path()), std::vector<std::string>{loop->path()});
  EXPECT_TRUE(fs::exists(decoy / "ext4-4096.img"));
  EXPECT_FALSE(fs::exists(registry() / "1-1.run")) << "nothing of it was the run's: forgotten";
  EXPECT_TRUE(fs::exists(registry() / "2-2.run")) << "a live run's entry was removed";
  EXPECT_TRUE(mounted->Unmount());
  EXPECT_TRUE(loop->Detach());
}

// Something mounted over eofzero's mount point while a run works is never
// unmounted by eofzero: the run leaves its own mount and registry entry, and
// `cleanup` releases them once the stacked mount is gone.
TEST_F(Leftovers, AMountStackedOnOursIsNeverUnmountedByUs) {
  const fs::path log = state_ / "run.log";
  auto run = os::Child::Start({EOFZERO_BINARY, "run", "--fs", "ext4", "--case", "truncate_up",
                               "--workdir", wd_.str(), "-vv"},
                              log);
  ASSERT_TRUE(run) << run.error().Message();
  const std::string marker = "truncate {eob + bs}";
  for (int i = 0; i < 500 && ReadFile(log).find(marker) == std::string::npos; ++i)
    ::usleep(2 * 1000);
  std::vector<std::string> ours = MountsUnder(wd_.path());
  ASSERT_EQ(ours.size(), 1u) << ReadFile(log);
  auto stacked = os::Mount::Create("tmpfs", ours[0], "tmpfs", "size=1m");
  ASSERT_TRUE(stacked) << stacked.error().Message();
  while (!run->Poll()) ::usleep(10 * 1000);
  EXPECT_NE(run->Poll()->exit_code, 0) << ReadFile(log);
  EXPECT_NE(ReadFile(log).find("refusing to unmount what is not ours"), std::string::npos)
      << ReadFile(log);
  EXPECT_EQ(MountsUnder(wd_.path()).size(), 2u) << "the stacked tmpfs, and our mount below it";
  EXPECT_TRUE(stacked->Unmount());  // its owner takes it away
  ASSERT_FALSE(Entries().empty()) << "the entry stays until what was left is released";
  Ran ran = RunEofzero({"cleanup"});
  EXPECT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_NE(ran.out.find("unmounted " + ours[0]), std::string::npos) << ran.out;
  ExpectNothingLeft(wd_);
  EXPECT_TRUE(Entries().empty());
}

// A live run's loop device is refused as a scratch device even in the
// moments that run has it unmounted (the plant, a cycle_mount).
TEST_F(Leftovers, ALiveRunsDeviceIsNeverAScratchDevice) {
  const fs::path log = state_ / "run.log";
  auto run = os::Child::Start(
      {EOFZERO_BINARY, "run", "--fs", "xfs", "--case", "*", "--workdir", wd_.str(), "-vv"}, log);
  ASSERT_TRUE(run) << run.error().Message();
  std::vector<std::string> loops;
  for (int i = 0; i < 500 && loops.empty(); ++i) {
    loops = LoopDevicesBackedUnder(wd_.path());
    if (loops.empty()) ::usleep(10 * 1000);
  }
  ASSERT_EQ(loops.size(), 1u);
  fs::create_directory(state_ / "mnt");
  int tries = 0;
  while (!run->Poll() && tries < 200) {
    ++tries;
    Ran other = RunEofzero({"run", "--fs", "ext4", "--case", "append_write", "--scratch-dev",
                            loops[0], "--scratch-mnt", (state_ / "mnt").string()});
    // Mounted, or used by run N while unmounted: refused either way.
    if (!run->Poll()) {
      ASSERT_EQ(other.exit_code, 2) << other.out << other.err;
    }
  }
  EXPECT_GT(tries, 5);
  while (!run->Poll()) ::usleep(10 * 1000);
  EXPECT_EQ(ReadFile(log).find("\nERROR"), std::string::npos) << ReadFile(log);
  ExpectNothingLeft(wd_);
}

// A FIFO named like an entry (or anything not a regular file) is never read.
TEST_F(Leftovers, AFifoInTheRegistryDoesNotHang) {
  fs::create_directories(registry());
  ASSERT_EQ(::mkfifo((registry() / "x.run").c_str(), 0600), 0);
  Ran ran = RunEofzeroWithTimeout({"cleanup"}, 20);
  EXPECT_EQ(ran.exit_code, 0) << ran.out << ran.err;
}

// A guardian works from /, and must find a registry given as a relative path.
TEST_F(Leftovers, ARelativeStateDirStillReachesTheGuardian) {
  const fs::path here = fs::current_path();
  fs::current_path(state_.parent_path());
  ::setenv("EOFZERO_STATE_DIR", state_.filename().c_str(), 1);
  Ran ran = RunEofzeroAndInterrupt(
      {"run", "--fs", "ext4", "--case", "truncate_up", "--workdir", wd_.str(), "-vv"}, ": plant",
      SIGKILL);
  fs::current_path(here);
  ::setenv("EOFZERO_STATE_DIR", state_.c_str(), 1);
  ASSERT_TRUE(ran.marker_seen) << ran.err;
  EXPECT_TRUE(RegistryEmptied());
  ExpectNothingLeft(wd_);
}

}  // namespace
}  // namespace eofzero::itest
