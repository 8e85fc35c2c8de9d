// The files eofzero writes and reads where a user (or another user, in a
// shared folder) names them: --output, the logs of --record DIR, the image
// of `log replay`, the log of `log show`. Whatever is planted there — a
// device, a FIFO, a symbolic or hard link, a crafted log, a full
// filesystem — the tool never hangs, never writes into anything but a
// regular file with one name, says what is wrong in one line, and leaves
// nothing half written.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "harness.h"
#include "os/mount.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;

// One line on stderr, exit 2, nothing on stdout, no hang.
void ExpectRefused(const Ran& ran, const std::string& message) {
  EXPECT_FALSE(ran.timed_out) << "hung";
  EXPECT_EQ(ran.exit_code, 2) << ran.out << ran.err;
  EXPECT_EQ(ran.err, "eofzero: " + message + "\n");
  EXPECT_TRUE(ran.out.empty()) << ran.out;
}

// --output used to overwrite a block device's first bytes, truncate a
// symbolic link's target, and (human format) hang forever in the open of a
// FIFO, SIGINT and SIGTERM ignored; with json the FIFO's ENXIO came only
// after every case had run. Each is refused before anything is built.
TEST(HostileOutput, NeverADeviceALinkAHardLinkOrAFifo) {
  REQUIRE_ROOT();
  Workdir wd;
  const fs::path target = wd.path() / "precious";
  WriteFile(target, std::string(1 << 20, 'p'));
  fs::create_symlink(target, wd.path() / "link.txt");
  fs::create_hard_link(target, wd.path() / "hard.txt");
  const fs::path fifo = wd.path() / "fifo.txt";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto dev = AttachScratchImage(wd, "dev.img", 1 << 20);
  ASSERT_TRUE(dev) << dev.error().Message();
  const std::pair<fs::path, std::string> planted[] = {
      {dev->path(), " is a block device, not a regular file"},
      {wd.path() / "link.txt", " is a symbolic link (eofzero never writes through one)"},
      {wd.path() / "hard.txt",
       " has 2 names (hard links): eofzero writes only into a file with one name"},
      {fifo, " is a FIFO, not a regular file"},
  };
  for (const auto& [path, why] : planted) {
    const std::string expected = "--output: " + path.string() + why;
    for (const auto& format : {"human", "json"}) {
      ExpectRefused(
          RunEofzeroWithTimeout({"run", "--fs", "ext4", "--case", "truncate_up", "--workdir",
                                 wd.str(), "--format", format, "--output", path.string()},
                                60),
          expected);
      ExpectRefused(RunEofzeroWithTimeout({"sweep", "--fs", "ext4", "--case", "truncate_up",
                                           "--sync", "fsync", "--crash", "logflush", "--workdir",
                                           wd.str(), "--format", format, "--output", path.string()},
                                          60),
                    expected);
    }
    ExpectRefused(
        RunEofzeroWithTimeout(
            {"report", (wd.path() / "none.json").string(), "--output", path.string()}, 20),
        expected);
  }
  EXPECT_EQ(ReadFile(target), std::string(1 << 20, 'p'));
  EXPECT_EQ(ReadFile(wd.path() / "dev.img"), std::string(1 << 20, '\0'))
      << "the device's bytes changed";
  std::optional<os::LoopDevice> loop(std::move(*dev));
  ReleaseScratchImage(loop, wd);
}

// A FIFO planted as DIR/ext4-4096.ezlog (another user can, in a shared
// DIR) used to hang the run in the open before any case, until kill -9; a
// hard link planted there had its other name's file overwritten with the
// log. Both are refused before anything is built.
TEST(HostileRecord, ALogThatIsAFifoALinkOrAHardLinkIsRefusedBeforeAnything) {
  REQUIRE_ROOT_AND_FUSE();
  Workdir wd;
  const fs::path logs = wd.path() / "logs";
  fs::create_directory(logs);
  const fs::path log = logs / "ext4-4096.ezlog";
  const fs::path victim = wd.path() / "victim";
  WriteFile(victim, "precious");
  const std::vector<std::string> run = {"run",    "--fs",        "ext4",
                                        "--case", "truncate_up", "--workdir",
                                        wd.str(), "--record",    logs.string()};
  ASSERT_EQ(::mkfifo(log.c_str(), 0600), 0);
  ExpectRefused(RunEofzeroWithTimeout(run, 60),
                "--record: " + log.string() + " is a FIFO, not a regular file");
  fs::remove(log);
  fs::create_hard_link(victim, log);
  ExpectRefused(RunEofzeroWithTimeout(run, 60),
                "--record: " + log.string() +
                    " has 2 names (hard links): eofzero writes only into a file with one name");
  fs::remove(log);
  fs::create_symlink(victim, log);
  ExpectRefused(
      RunEofzeroWithTimeout(run, 60),
      "--record: " + log.string() + " is a symbolic link (eofzero never writes through one)");
  EXPECT_EQ(ReadFile(victim), "precious");
  ExpectNothingLeft(wd);
  ExpectNoServerLeft();
}

// `--record DIR` refused a DIR that did not exist yet ("not a directory")
// where --output makes its file: it makes the folder (its own folder must
// exist), and says so when it cannot.
TEST(HostileRecord, TheFolderIsMadeWhenItsParentIsThere) {
  REQUIRE_ROOT_AND_FUSE();
  Workdir wd;
  const fs::path logs = wd.path() / "logs";
  Ran ran = RunEofzeroWithTimeout({"run", "--fs", "ext4", "--case", "truncate_up", "--workdir",
                                   wd.str(), "--record", logs.string()},
                                  300);
  EXPECT_EQ(ran.exit_code, 0) << ran.out << ran.err;
  EXPECT_TRUE(fs::is_regular_file(logs / "ext4-4096.ezlog"));
  const fs::path deeper = wd.path() / "a" / "b";
  ExpectRefused(RunEofzeroWithTimeout({"run", "--fs", "ext4", "--case", "truncate_up", "--workdir",
                                       wd.str(), "--record", deeper.string()},
                                      60),
                "--record: " + deeper.string() + " does not exist, and " +
                    (wd.path() / "a").string() + " (where it would be made) is not a directory");
  ExpectNothingLeft(wd);
}

// With DIR on a 512 KiB tmpfs the run used to PASS every case and exit 0
// with the log cut at 512 KiB (ext4), or ERROR "mount: Input/output error"
// (xfs), ENOSPC named nowhere. A recording that cannot be written is an
// ERROR (exit 3) that names the log and ENOSPC.
class FullRecordDir : public testing::TestWithParam<const char*> {};

TEST_P(FullRecordDir, IsAnErrorNamingTheLogAndENOSPC) {
  REQUIRE_ROOT_AND_FUSE();
  Workdir wd;
  const fs::path full = wd.path() / "full";
  fs::create_directory(full);
  {
    auto tmpfs = os::Mount::Create("tmpfs", full, "tmpfs", "size=512k");
    ASSERT_TRUE(tmpfs) << tmpfs.error().Message();
    Ran ran =
        RunEofzeroWithTimeout({"run", "--fs", GetParam(), "--case", "truncate_up,append_write",
                               "--workdir", wd.str(), "--record", full.string()},
                              600);
    EXPECT_FALSE(ran.timed_out);
    EXPECT_EQ(ran.exit_code, 3) << ran.out << ran.err;
    const std::string log = (full / (std::string(GetParam()) + "-4096.ezlog")).string();
    // Wherever the log filled up (in mkfs, or in some case), the report
    // names the write that failed and why.
    EXPECT_NE(ran.out.find("the write log could not be written (pwrite " + log + " ["),
              std::string::npos)
        << ran.out << ran.err;
    EXPECT_NE(ran.out.find("): No space left on device)"), std::string::npos) << ran.out;
    EXPECT_TRUE(tmpfs->Unmount());
  }
  ExpectNothingLeft(wd);
  ExpectNoServerLeft();
}

INSTANTIATE_TEST_SUITE_P(Filesystems, FullRecordDir, testing::Values("ext4", "xfs"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace eofzero::itest
