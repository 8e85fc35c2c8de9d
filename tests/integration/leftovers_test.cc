// What a killed run leaves behind is released — by its guardian the moment
// it dies, or, when the guardian died too, by the next run or `eofzero
// cleanup` — and nothing else is ever touched: not a live run's, not a
// folder that only looks like one of ours.
#include <gtest/gtest.h>
#include <sys/mount.h>
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
  // A look-alike: the test's own loop device, mounted in a folder named as
  // eofzero names its own, with an entry whose owner is dead but whose
  // folder and mount records do not match what is there now.
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
  fs::create_directories(registry());
  WriteFile(registry() / "1-1.run",
            scratch::OwnerLine(dead, 0) + scratch::RunDirLine({decoy.string(), 1, 2}) +
                scratch::ImageLine({(decoy / "ext4-4096.img").string(), 1, 3}) +
                scratch::MountLine({(decoy / "ext4-4096.mnt").string(), 12345}));
  // A live owner: this test.
  WriteFile(
      registry() / "2-2.run",
      scratch::OwnerLine(*self, 0) + scratch::RunDirLine({(wd_.path() / "live").string(), 1, 4}));
  Ran ran = RunEofzero({"cleanup"});
  EXPECT_NE(ran.out.find("left " + decoy.string() + ": not the folder the run made"),
            std::string::npos)
      << ran.out;
  EXPECT_NE(ran.out.find("left alone: run " + std::to_string(::getpid()) + " is still running"),
            std::string::npos)
      << ran.out;
  EXPECT_EQ(MountsUnder(wd_.path()), std::vector<std::string>{(decoy / "ext4-4096.mnt").string()});
  EXPECT_EQ(LoopDevicesBackedUnder(wd_.path()), std::vector<std::string>{loop->path()});
  EXPECT_TRUE(fs::exists(decoy / "ext4-4096.img"));
  EXPECT_TRUE(fs::exists(registry() / "2-2.run")) << "a live run's entry was removed";
  EXPECT_TRUE(mounted->Unmount());
  EXPECT_TRUE(loop->Detach());
}

}  // namespace
}  // namespace eofzero::itest
