// What a killed run leaves behind is released — by its guardian the moment
// it dies, or, when the guardian died too, by the next run or `eofzero
// cleanup` — and nothing else is ever touched: not a live run's, not a
// folder that only looks like one of ours.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

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
  // A guardian removes the entry last, and then ends: once every process the
  // test's runs left has ended, the entry is gone or stays for good.
  bool RegistryEmptied() const {
    WaitForLeftoverProcesses();
    return Entries().empty();
  }
  Workdir wd_;
  fs::path state_;
};

// kill -9 at several moments of a run: attached, formatted, mounted, planting
// (unmounted), shut down. The guardian releases the mount, the loop device
// and the folder.
struct Moment {
  const char* name;
  const char* step;    // a step of truncate_up, or
  const char* text;    // another message of the run
  std::size_t mounts;  // what the run has mounted there
};
void PrintTo(const Moment& m, std::ostream* os) { *os << m.name; }

class KilledRun : public Leftovers, public testing::WithParamInterface<Moment> {};

TEST_P(KilledRun, ItsGuardianReleasesEverything) {
  const Moment& m = GetParam();
  HeldRun run({"run", "--fs", "ext4", "--case", "truncate_up", "--workdir", wd_.str()},
              m.step ? StepPoint("truncate_up", m.step) : m.text);
  auto held = run.WaitHeld();
  ASSERT_TRUE(held);
  EXPECT_EQ(LoopDevicesBackedUnder(wd_.path()).size(), 1u) << held->message;
  EXPECT_EQ(MountsUnder(wd_.path()).size(), m.mounts) << held->message;
  ASSERT_EQ(::kill(run.pid(), SIGKILL), 0);
  Ran ran = run.Wait();
  EXPECT_EQ(ran.term_signal, SIGKILL);
  EXPECT_TRUE(RegistryEmptied()) << "the registry entry stayed";
  ExpectNothingLeft(wd_);
}

INSTANTIATE_TEST_SUITE_P(Moments, KilledRun,
                         testing::Values(Moment{"attached", nullptr, "ext4-4096: attached", 0},
                                         Moment{"formatted", nullptr, "ext4-4096: mkfs.ext4", 0},
                                         Moment{"plant", "plant", nullptr, 1},
                                         Moment{"unmounted_to_plant", nullptr,
                                                "unmounted /dev/loop", 0},
                                         Moment{"shutdown", "shutdown -f", nullptr, 1},
                                         Moment{"cycle_mount", "cycle_mount", nullptr, 1}),
                         [](const auto& info) { return std::string(info.param.name); });

// The guardian of the one run in `registry`.
pid_t GuardianIn(const fs::path& registry) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(registry, ec))
    if (e.path().extension() == ".run")
      if (auto entry = scratch::ParseRunEntry(ReadFile(e.path()))) return entry->guardian;
  return -1;
}

// Holds a run at its plant (mounted, its folder made), kills its guardian and
// waits until it has ended, then kills the run: both are gone and everything
// the run made stays — until someone reclaims it.
void KillRunAndGuardian(const fs::path& workdir, const fs::path& registry) {
  HeldRun run({"run", "--fs", "ext4", "--case", "truncate_up", "--workdir", workdir.string()},
              StepPoint("truncate_up", "plant"));
  ASSERT_TRUE(run.WaitHeld());
  const pid_t keeper = GuardianIn(registry);
  ASSERT_GT(keeper, 0);
  ASSERT_EQ(::kill(keeper, SIGKILL), 0);
  WaitForExitOf(keeper);
  ASSERT_EQ(::kill(run.pid(), SIGKILL), 0);
  EXPECT_EQ(run.Wait().term_signal, SIGKILL);
  WaitForLeftoverProcesses();  // nothing is left that could release anything
}

TEST_F(Leftovers, CleanupReclaimsWhatARunAndItsGuardianLeft) {
  KillRunAndGuardian(wd_.path(), registry());
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
// `cleanup` releases them once the stacked mount is gone. The tmpfs is
// stacked while the run is held where truncate_up's truncate up starts.
TEST_F(Leftovers, AMountStackedOnOursIsNeverUnmountedByUs) {
  HeldRun run({"run", "--fs", "ext4", "--case", "truncate_up", "--workdir", wd_.str(), "-vv"},
              StepPoint("truncate_up", "truncate {eob + bs}"));
  ASSERT_TRUE(run.WaitHeld());
  std::vector<std::string> ours = MountsUnder(wd_.path());
  ASSERT_EQ(ours.size(), 1u) << run.Err();
  auto stacked = os::Mount::Create("tmpfs", ours[0], "tmpfs", "size=1m");
  ASSERT_TRUE(stacked) << stacked.error().Message();
  Ran ran = run.Wait();
  EXPECT_NE(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_NE(ran.err.find("refusing to unmount what is not ours"), std::string::npos) << ran.err;
  WaitForLeftoverProcesses();
  EXPECT_EQ(MountsUnder(wd_.path()).size(), 2u) << "the stacked tmpfs, and our mount below it";
  EXPECT_TRUE(stacked->Unmount());  // its owner takes it away
  ASSERT_FALSE(Entries().empty()) << "the entry stays until what was left is released";
  Ran cleanup = RunEofzero({"cleanup"});
  EXPECT_EQ(cleanup.exit_code, 0) << cleanup.out << cleanup.err;
  EXPECT_NE(cleanup.out.find("unmounted " + ours[0]), std::string::npos) << cleanup.out;
  ExpectNothingLeft(wd_);
  EXPECT_TRUE(Entries().empty());
}

// A live run's loop device is refused as a scratch device at every moment the
// run mounts or unmounts it — held just after each: the moments it has it
// unmounted (the plant, a cycle_mount, the check after the crash) included.
TEST_F(Leftovers, ALiveRunsDeviceIsNeverAScratchDevice) {
  HeldRun run({"run", "--fs", "xfs", "--case", "truncate_up", "--workdir", wd_.str()},
              "mounted /dev/loop");
  fs::create_directory(state_ / "mnt");
  int unmounted = 0, mounted = 0;
  while (auto held = run.NextHold()) {
    const auto loops = LoopDevicesBackedUnder(wd_.path());
    ASSERT_EQ(loops.size(), 1u) << held->message;
    ASSERT_EQ(held->message.find(loops[0]), held->message.find("/dev/loop")) << held->message;
    const bool down = held->message.starts_with("unmounted ");
    EXPECT_EQ(MountsUnder(wd_.path()).size(), down ? 0u : 1u) << held->message;
    (down ? unmounted : mounted) += 1;
    Ran other = RunEofzero({"run", "--fs", "ext4", "--case", "append_write", "--scratch-dev",
                            loops[0], "--scratch-mnt", (state_ / "mnt").string()});
    ASSERT_EQ(other.exit_code, 2) << held->message << "\n" << other.out << other.err;
  }
  EXPECT_GE(unmounted, 2) << "the plant and the cycle_mount at least";
  EXPECT_GE(mounted, 3) << "mkfs's, the plant's and the cycle_mount's mounts at least";
  Ran ran = run.Wait();
  EXPECT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_EQ((ran.out + ran.err).find("ERROR"), std::string::npos) << ran.out << ran.err;
  ExpectNothingLeft(wd_);
}

// A device the run has let go of is no longer its own: the run is held just
// after its first configuration released its loop device, and that very
// device, attached by this test to an image of its own, is a scratch device
// another run may use (it was refused as "eofzero run N uses it").
TEST_F(Leftovers, ADeviceTheRunLetGoOfIsAScratchDeviceAgain) {
  HeldRun run({"run", "--fs", "ext4,xfs", "--case", "truncate_up", "--workdir", wd_.str()},
              "released /dev/loop");
  auto held = run.WaitHeld();
  ASSERT_TRUE(held);
  const std::string device = held->message.substr(held->message.find("/dev/loop"));
  EXPECT_TRUE(LoopDevicesBackedUnder(wd_.path()).empty()) << held->message;
  const fs::path image = wd_.path() / "mine.img";
  std::filesystem::resize_file((std::ofstream(image), image), 128 << 20);
  auto attached = os::RunProcess({"losetup", device, image.string()});
  ASSERT_TRUE(attached && attached->ok()) << (attached ? attached->Describe() : "");
  fs::create_directory(state_ / "mnt");
  Ran other = RunEofzero({"run", "--fs", "ext4", "--case", "append_write", "--scratch-dev", device,
                          "--scratch-mnt", (state_ / "mnt").string()});
  auto detached = os::RunProcess({"losetup", "-d", device});
  EXPECT_TRUE(detached && detached->ok());
  EXPECT_TRUE(other.exit_code == 0 || other.exit_code == 1) << other.out << other.err;
  EXPECT_EQ(other.err.find("uses it"), std::string::npos) << other.err;
  Ran ran = run.Wait();
  EXPECT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  ExpectNothingLeft(wd_);
}

// A self-test fault that fails after the mount it wraps (the sentinel cannot
// be planted again where a punch left a hole) leaves nothing mounted: the
// run, told the mount failed, would never unmount it (it leaked a mount and
// its loop device, and the registry entry went with the run).
TEST_F(Leftovers, AFaultThatFailsAfterItsMountLeavesNothingMounted) {
  const fs::path cases = wd_.path() / "cases";
  fs::create_directories(cases);
  WriteFile(cases / "punched.toml", R"(name = "punched"
purpose = "the EOF block punched before the crash"
language = 2
steps = '''
pwrite -S 0x5a 0 {eob}
fsync
truncate {eof}
fsync
plant
truncate {eob}
fpunch 0 {bs}
fsync
shutdown -f
cycle_mount
check gap
'''
)");
  Ran ran = RunEofzero({"run", "--fs", "ext4", "--cases-dir", cases.string(), "--case", "punched",
                        "--inject-fault", "stale-after-crash", "--workdir", wd_.str()});
  EXPECT_EQ(ran.exit_code, 3) << ran.out << ran.err;
  EXPECT_NE(ran.out.find("cannot re-plant"), std::string::npos) << ran.out;
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
      {"run", "--fs", "ext4", "--case", "truncate_up", "--workdir", wd_.str()},
      StepPoint("truncate_up", "plant"), SIGKILL);
  fs::current_path(here);
  ::setenv("EOFZERO_STATE_DIR", state_.c_str(), 1);
  ASSERT_TRUE(ran.marker_seen) << ran.err;
  EXPECT_TRUE(RegistryEmptied());
  ExpectNothingLeft(wd_);
}

}  // namespace
}  // namespace eofzero::itest
