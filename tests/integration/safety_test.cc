// Safety and cleanup: a plant that cannot be verified is exit 3, raw access
// is refused on a device that does not carry this run's filesystem, and no
// run — passing, failing, erroring or interrupted — leaves a loop device or a
// mount behind.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <regex>

#include "harness.h"
#include "os/mount.h"
#include "os/process.h"
#include "scratch/raw_access.h"
#include "scratch/scratch_fs.h"

namespace eofzero::itest {
namespace {

TEST(PlantVerification, LostPlantWriteIsCaughtByTheReadBackWithExit3) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzero({"run", "--workdir", wd.str(), "--inject-fault", "plant-lost-write"});
  EXPECT_EQ(ran.exit_code, 3) << ran.out << ran.err;
  EXPECT_EQ(LinesStartingWith(ran.out, "ERROR").size(), 6u) << ran.out;
  EXPECT_EQ(CountOccurrences(ran.out, "plant not verified"), 6) << ran.out;
  ExpectNothingLeft(wd);
}

Bytes ImageBytes(const std::filesystem::path& image, std::uint64_t offset, std::size_t n) {
  std::ifstream in(image, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  Bytes b(n);
  in.read(reinterpret_cast<char*>(b.data()), static_cast<std::streamsize>(n));
  return b;
}

TEST(RawAccess, IsRefusedWhileMountedAndOnAForeignUuid) {
  REQUIRE_ROOT();
  Workdir wd;
  {
    scratch::ScratchSpec spec;
    auto fs = scratch::ScratchFs::Create(spec, wd.path(), "uuid");
    ASSERT_TRUE(fs) << fs.error().Message();
    const std::uint64_t off = 64 << 20;
    scratch::BlockLocation where{off, 4096, {0, off, 4096, 0}};
    const Bytes sentinel(4096, 0xAB);

    auto mounted = scratch::WriteInsideExtent(**fs, where, off, sentinel);
    ASSERT_FALSE(mounted);
    EXPECT_EQ(mounted.error().kind, os::ErrorKind::kSafety) << mounted.error().Message();

    ASSERT_TRUE((*fs)->Unmount());
    auto mkfs = os::RunProcess(
        {"mkfs.ext4", "-F", "-q", "-U", "0badc0de-0000-4000-8000-000000000000", (*fs)->device()});
    ASSERT_TRUE(mkfs && mkfs->ok());
    const Bytes before = ImageBytes((*fs)->image_path(), off, 4096);
    auto foreign = scratch::WriteInsideExtent(**fs, where, off, sentinel);
    ASSERT_FALSE(foreign);
    EXPECT_EQ(foreign.error().kind, os::ErrorKind::kSafety);
    EXPECT_NE(foreign.error().Message().find("0badc0de"), std::string::npos)
        << foreign.error().Message();
    EXPECT_EQ(ImageBytes((*fs)->image_path(), off, 4096), before) << "bytes were touched";
    EXPECT_FALSE(scratch::ReadDeviceRange(**fs, off, 4096));
  }
  ExpectNothingLeft(wd);
}

// A filesystem mounted over ours while a run works is never acted on: the
// next step's check (by the device the mount point shows, not by its path)
// refuses, and so does the shutdown; with the stacked mount gone, all is ours
// again.
TEST(StackedMount, NoStepAndNoShutdownActsOnAFilesystemMountedOverOurs) {
  REQUIRE_ROOT();
  Workdir wd;
  {
    scratch::ScratchSpec spec;
    auto fs = scratch::ScratchFs::Create(spec, wd.path(), "stacked");
    ASSERT_TRUE(fs) << fs.error().Message();
    EXPECT_TRUE((*fs)->CheckMountIsOurs());
    auto tmpfs = os::Mount::Create("tmpfs", (*fs)->mount_dir(), "tmpfs", "size=1m");
    ASSERT_TRUE(tmpfs) << tmpfs.error().Message();
    auto check = (*fs)->CheckMountIsOurs();
    ASSERT_FALSE(check);
    EXPECT_EQ(check.error().kind, os::ErrorKind::kSafety) << check.error().Message();
    auto shutdown = (*fs)->Shutdown(os::ShutdownFlag::kNoLogFlush);
    ASSERT_FALSE(shutdown);
    EXPECT_EQ(shutdown.error().kind, os::ErrorKind::kSafety) << shutdown.error().Message();
    EXPECT_TRUE(tmpfs->Unmount());
    EXPECT_TRUE((*fs)->CheckMountIsOurs());
  }
  ExpectNothingLeft(wd);
}

// A mount namespace made while our filesystem is mounted (a service's
// private /tmp, an `unshare`) keeps a copy of the mount, and with it the
// filesystem instance: unmounting ours does not end it, and mount(2) would
// hand back that same instance — shut down, its caches as they were. The
// remount after a crash is then refused, naming who holds the device,
// instead of reading a dead filesystem (EIO) or a cache as "after the crash".
TEST(HeldElsewhere, ARemountWhileAnotherNamespaceHoldsTheFilesystemIsRefused) {
  REQUIRE_ROOT();
  Workdir wd;
  {
    scratch::ScratchSpec spec;
    auto fs = scratch::ScratchFs::Create(spec, wd.path(), "held");
    ASSERT_TRUE(fs) << fs.error().Message();
    auto holder = StartAndReadUntil(
        {"unshare", "--mount", "--propagation", "private", "sh", "-c", "echo ready && exec sleep 120"},
        wd.path() / "unshare.out", "ready\n");
    ASSERT_TRUE(holder.seen);
    ASSERT_TRUE((*fs)->Shutdown(os::ShutdownFlag::kNoLogFlush));
    ASSERT_TRUE((*fs)->Unmount());
    auto mounted = (*fs)->Mount();
    ASSERT_FALSE(mounted) << "mounted again while the other namespace holds it";
    EXPECT_EQ(mounted.error().kind, os::ErrorKind::kSafety);
    EXPECT_NE(mounted.error().Message().find("in the mount namespace of pid " +
                                             std::to_string(holder.child->pid())),
              std::string::npos)
        << mounted.error().Message();
    EXPECT_FALSE((*fs)->unusable().empty());
    EXPECT_FALSE((*fs)->mounted());
    holder.child->Kill();
    WaitFor(*holder.child);
  }
  ExpectNothingLeft(wd);
}

// In a run, the case that meets the held device (its plant's exclusive open,
// then the remount, are refused) is an ERROR that says who holds it, and the
// cases after it run on a new filesystem, each with the verdict it has on its
// own (not an EIO inherited from the dead instance). Removing the old mount
// folder detaches the copies of its mount in other namespaces, so the old
// loop device is let go too.
// The verdict of `name` in a human report ("PASS", ...), or empty.
std::string VerdictOf(const std::string& report, const std::string& name) {
  std::smatch m;
  const std::regex line("(PASS|FAIL|SKIP|ERROR) +[0-9]+/[0-9]+ +ext4/4k +" + name + " ");
  return std::regex_search(report, m, line) ? m[1].str() : "";
}

TEST(HeldElsewhere, TheCasesAfterTheRefusedRemountRunOnANewFilesystem) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran alone = RunEofzero({"run", "--fs", "ext4", "--case", "truncate_up", "--workdir", wd.str()});
  ASSERT_TRUE(alone.exit_code == 0 || alone.exit_code == 1) << alone.out << alone.err;
  const std::string verdict = VerdictOf(alone.out, "truncate_up");
  ASSERT_TRUE(verdict == "PASS" || verdict == "FAIL") << alone.out;
  std::optional<Started> holder;
  {
    HeldRun run({"run", "--fs", "ext4", "--case", "append_write,truncate_up", "--workdir",
                 wd.str()},
                "mounted /dev/loop");
    ASSERT_TRUE(run.WaitHeld());
    holder.emplace(StartAndReadUntil({"unshare", "--mount", "--propagation", "private", "sh", "-c",
                                      "echo ready && exec sleep 120"},
                                     wd.path() / "unshare.out", "ready\n"));
    ASSERT_TRUE(holder->seen);
    Ran ran = run.Wait();
    EXPECT_EQ(ran.exit_code, verdict == "FAIL" ? 1 : 3) << ran.out << ran.err;
    EXPECT_EQ(VerdictOf(ran.out, "append_write"), "ERROR") << ran.out;
    EXPECT_NE(ran.out.find("is held by something else (/dev/loop"), std::string::npos) << ran.out;
    EXPECT_EQ(VerdictOf(ran.out, "truncate_up"), verdict)
        << "alone: " << alone.out << "after the refused remount: " << ran.out;
    EXPECT_NE(ran.err.find("made a new filesystem"), std::string::npos) << ran.err;
  }
  holder->child->Kill();
  WaitFor(*holder->child);
  ExpectNothingLeft(wd);
}

TEST(Cleanup, FailingRunWithKeepLeavesOnlyTheImage) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzero({"run", "--workdir", wd.str(), "--fs", "xfs", "--case", "truncate_up",
                        "--keep", "--inject-fault", "stale-after-crash"});
  EXPECT_EQ(ran.exit_code, 1) << ran.out << ran.err;
  EXPECT_TRUE(LoopDevicesBackedUnder(wd.path()).empty()) << "leaked loop device";
  EXPECT_TRUE(MountsUnder(wd.path()).empty()) << "leaked mount";
  auto left = wd.Contents();
  ASSERT_EQ(left.size(), 2u);  // the run folder and the kept image in it
  EXPECT_TRUE(std::any_of(left.begin(), left.end(),
                          [](const std::string& p) { return p.ends_with("xfs-4096.img"); }));
  EXPECT_NE(ran.err.find("kept image"), std::string::npos) << ran.err;
}

// A workdir without room for the image fails at once and says so, instead
// of letting the loop device drop the writes it cannot place later (the
// kernel only logs "loopN: writeback error"; the filesystem may look fine).
TEST(DiskUnderTheImage, AWorkdirWithoutRoomForTheImageFailsBeforeMkfs) {
  REQUIRE_ROOT();
  Workdir wd;
  const auto small = wd.path() / "small";
  std::filesystem::create_directory(small);
  {
    auto tmpfs = os::Mount::Create("tmpfs", small, "tmpfs", "size=64m");
    ASSERT_TRUE(tmpfs) << tmpfs.error().Message();
    Ran ran = RunEofzero(
        {"run", "--workdir", small.string(), "--fs", "ext4", "--case", "truncate_up"});
    EXPECT_EQ(ran.exit_code, 3) << ran.out << ran.err;
    EXPECT_NE(ran.out.find("no room for the 256 MiB image in " + small.string() + "/eofzero."),
              std::string::npos)
        << ran.out;
    EXPECT_NE(ran.out.find("MiB free"), std::string::npos) << ran.out;
    EXPECT_TRUE(LinesStartingWith(ran.out, "PASS").empty()) << ran.out;
    EXPECT_TRUE(RunFoldersUnder(small).empty());
  }
  ExpectNothingLeft(wd);
}

// The run is held where the signal is sent: at a step of append_write (the
// default suite's first case, on ext4 and then xfs), or another message.
struct Interruption {
  const char* step;
  const char* text;
  int signo;
  const char* name;
};
void PrintTo(const Interruption& i, std::ostream* os) { *os << i.name; }

class Interrupted : public testing::TestWithParam<Interruption> {};

TEST_P(Interrupted, RunReleasesEverythingAndExits128PlusSignal) {
  REQUIRE_ROOT();
  Workdir wd;
  const Interruption& at = GetParam();
  Ran ran =
      RunEofzeroAndInterrupt({"run", "--workdir", wd.str()},
                             at.step ? StepPoint("append_write", at.step) : at.text, at.signo);
  ASSERT_TRUE(ran.marker_seen) << ran.err;
  EXPECT_EQ(ran.exit_code, 128 + GetParam().signo) << ran.err;
  ExpectNothingLeft(wd);
  EXPECT_TRUE(wd.Contents().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Moments, Interrupted,
    testing::Values(Interruption{nullptr, "ext4-4096: attached", SIGINT, "after_loop_attach"},
                    Interruption{"plant", nullptr, SIGINT, "while_planting"},
                    Interruption{"shutdown -f", nullptr, SIGTERM, "around_the_crash"},
                    Interruption{nullptr, "xfs-4096: attached", SIGTERM, "second_filesystem"}),
    [](const auto& info) { return std::string(info.param.name); });

// `eofzero run | head -1`: the reader goes away after the first line; the
// run must unwind (SIGPIPE) and release everything, not die holding a mount.
TEST(Cleanup, ReaderClosingStdoutEarlyLeavesNothingBehind) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzeroClosingStdoutEarly({"run", "--workdir", wd.str()});
  ASSERT_TRUE(ran.marker_seen) << "no output line was read";
  EXPECT_EQ(ran.term_signal, 0) << "killed by signal " << ran.term_signal;
  EXPECT_EQ(ran.exit_code, 128 + SIGPIPE);
  ExpectNothingLeft(wd);
  EXPECT_TRUE(wd.Contents().empty());
}

TEST(BadInput, IsOneLineExit2AndTouchesNothing) {
  REQUIRE_ROOT();
  Workdir wd;
  Ran ran = RunEofzero({"run", "--workdir", wd.str(), "--block-size", "3000"});
  EXPECT_EQ(ran.exit_code, 2);
  EXPECT_EQ(ran.err, "eofzero: --block-size: 3000 is not a power of two from 1024 to 65536\n");
  EXPECT_TRUE(ran.out.empty());
  EXPECT_TRUE(wd.Contents().empty());
}

// Without root, each command that needs it says so in its own name (run as
// nobody through setpriv, so this test needs root to drop it). nobody runs a
// copy of the binary and reads a copy of the catalog: a tree cloned under
// /root (mode 0700) is not nobody's to read, and that is not what this test
// is about.
TEST(WithoutRoot, EachCommandNamesItselfAndExits3) {
  REQUIRE_ROOT();
  Workdir wd;
  const std::filesystem::path cases = wd.path() / "cases", binary = wd.path() / "eofzero";
  std::filesystem::copy(std::filesystem::path(EOFZERO_SOURCE_DIR) / "cases", cases,
                        std::filesystem::copy_options::recursive);
  std::filesystem::copy_file(EOFZERO_BINARY, binary);
  const std::filesystem::path matrix = wd.path() / "matrix.toml";
  std::filesystem::copy_file(std::filesystem::path(EOFZERO_SOURCE_DIR) / "scripts" / "matrix.toml",
                             matrix);
  for (const auto& p : {wd.path(), cases})
    std::filesystem::permissions(p, std::filesystem::perms::owner_all |
                                        std::filesystem::perms::group_read |
                                        std::filesystem::perms::group_exec |
                                        std::filesystem::perms::others_read |
                                        std::filesystem::perms::others_exec);
  for (const char* command : {"run", "selftest", "matrix"}) {
    SCOPED_TRACE(command);
    std::vector<std::string> argv = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                     "env", "EOFZERO_CASES_DIR=" + cases.string(),
                                     binary.string(), command};
    if (std::string(command) == "matrix") argv.insert(argv.end(), {"--config", matrix.string()});
    auto ran = os::RunProcess(argv);
    ASSERT_TRUE(ran) << ran.error().Message();
    EXPECT_EQ(ran->exit_code, 3) << ran->err;
    EXPECT_EQ(ran->err.rfind("eofzero: " + std::string(command) + " needs root (", 0), 0u)
        << ran->err;
    EXPECT_EQ(CountOccurrences(ran->err, "\n"), 1) << "one line: " << ran->err;
  }
}

}  // namespace
}  // namespace eofzero::itest
