// The files eofzero writes and reads where a user (or another user, in a
// shared folder) names them: --output, the logs of --record DIR, the image
// of `log replay`, the log of `log show`. Whatever is planted there — a
// device, a FIFO, a symbolic or hard link, a crafted log, a full
// filesystem — the tool never hangs, never writes into anything but a
// regular file with one name, says what is wrong in one line, and leaves
// nothing half written.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <zlib.h>

#include <fstream>

#include "harness.h"
#include "os/mount.h"
#include "scratch/write_log.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;

// The bytes of a log file, crafted as an adversary would from README's
// "The write log format".
struct CraftedLog {
  Bytes bytes;
  explicit CraftedLog(scratch::WriteLogHeader header = {16 << 20, 512, 4096, 0})
      : bytes(scratch::EncodeHeader(header)) {}
  CraftedLog& Add(const scratch::LogRecord& r) {
    const Bytes b = scratch::EncodeRecord(r);
    bytes.insert(bytes.end(), b.begin(), b.end());
    return *this;
  }
  // A record head with any type, and a valid checksum.
  CraftedLog& AddRaw(std::uint8_t type) {
    Bytes head(scratch::kWriteLogRecordHeadBytes, 0);
    head[0] = type;
    const auto crc = static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0), head.data(), 32));
    for (int i = 0; i < 4; ++i) head[24 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
    bytes.insert(bytes.end(), head.begin(), head.end());
    return *this;
  }
  // The header's field at `at` (4 bytes) set to `value`, its checksum kept right.
  CraftedLog& SetHeader(std::size_t at, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<std::uint8_t>(value >> (8 * i));
    const auto crc = static_cast<std::uint32_t>(crc32(crc32(0L, Z_NULL, 0), bytes.data(), 60));
    for (int i = 0; i < 4; ++i) bytes[60 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
    return *this;
  }
  CraftedLog& End() { return Add({scratch::RecordType::kEnd, 0, 0, 0, {}}); }
  fs::path WriteTo(const fs::path& path) const {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
    return path;
  }
};

scratch::LogRecord Step(const std::string& text) {
  return {scratch::RecordType::kStep, 0, 1, 0, Bytes(text.begin(), text.end())};
}

// The most memory any child this test waited for had (KiB).
long MaxChildRssKib() {
  rusage usage{};
  ::getrusage(RUSAGE_CHILDREN, &usage);
  return usage.ru_maxrss;
}

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

// `log show` used to read the whole file first: 3.15 GB of memory to say
// "damaged at byte 64" of a 3 GB sparse file, 1.68 GB for 10 M barrier
// records. It streams: memory is a record's and a read buffer's, not the
// file's.
TEST(HostileLog, ShowAndReplayHoldARecordNotTheLog) {
  Workdir wd;
  const fs::path sparse = CraftedLog().WriteTo(wd.path() / "sparse.ezlog");
  fs::resize_file(sparse, 1ull << 30);
  Ran show = RunEofzeroWithTimeout({"log", "show", sparse.string()}, 120);
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("damaged: record 0 at byte 64: checksum mismatch"), std::string::npos)
      << show.out;

  // Written as it is made: a fork of this process (each child starts as
  // one) must not carry the log in its own memory.
  const fs::path many = CraftedLog().WriteTo(wd.path() / "barriers.ezlog");
  {
    std::ofstream out(many, std::ios::binary | std::ios::app);
    const Bytes barrier = scratch::EncodeRecord({scratch::RecordType::kBarrier, 0, 0, 0, {}});
    const Bytes end = scratch::EncodeRecord({scratch::RecordType::kEnd, 0, 0, 0, {}});
    for (int i = 0; i < 1000000; ++i)
      out.write(reinterpret_cast<const char*>(barrier.data()),
                static_cast<std::streamsize>(barrier.size()));
    out.write(reinterpret_cast<const char*>(end.data()), static_cast<std::streamsize>(end.size()));
  }
  show = RunEofzeroWithTimeout({"log", "show", many.string()}, 300);
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_TRUE(
      show.out.ends_with(many.string() + ": 1000000 records, 1000000 barriers, 0 bytes written\n"))
      << show.out.substr(show.out.size() > 300 ? show.out.size() - 300 : 0);
  Ran replay = RunEofzeroWithTimeout({"log", "replay", many.string(), "--state", "final", "--image",
                                      (wd.path() / "s.img").string()},
                                     300);
  EXPECT_EQ(replay.exit_code, 0) << replay.err;
  // The binary alone takes about 10 MiB here; the file was 1 GiB, and the
  // records' copy in memory more than 100 MiB.
  EXPECT_LT(MaxChildRssKib(), 64 * 1024) << "KiB at most in one child";
}

// A replay that fails (here: the image's filesystem fills up) used to leave
// a partial image under the name asked for, and a retry said "exists
// (never overwritten)". The image gets its name only when it is whole.
TEST(HostileLog, AReplayThatFailsLeavesNoImage) {
  REQUIRE_ROOT();
  Workdir wd;
  const fs::path log = CraftedLog()
                           .Add(scratch::WriteRecord(0, Bytes(4 << 20, 0x5a)))
                           .Add({scratch::RecordType::kBarrier, 0, 0, 0, {}})
                           .End()
                           .WriteTo(wd.path() / "x.ezlog");
  const fs::path small = wd.path() / "small";
  fs::create_directory(small);
  {
    auto tmpfs = os::Mount::Create("tmpfs", small, "tmpfs", "size=1m");
    ASSERT_TRUE(tmpfs) << tmpfs.error().Message();
    Ran ran = RunEofzeroWithTimeout(
        {"log", "replay", log.string(), "--state", "1", "--image", (small / "s.img").string()}, 60);
    EXPECT_EQ(ran.exit_code, 3) << ran.err;
    EXPECT_NE(ran.err.find("No space left on device"), std::string::npos) << ran.err;
    EXPECT_TRUE(fs::is_empty(small)) << "a partial image was left";
    EXPECT_TRUE(tmpfs->Unmount());
  }
  Ran retry = RunEofzeroWithTimeout(
      {"log", "replay", log.string(), "--state", "1", "--image", (small / "s.img").string()}, 60);
  EXPECT_EQ(retry.exit_code, 0) << retry.err;
  EXPECT_EQ(fs::file_size(small / "s.img"), 16u << 20);
}

// Crafted logs: a step's text printed raw (an escape sequence cleared the
// screen, a newline added a fake line), an unknown record type called a
// checksum mismatch, a header size of 0xffffffff shown as "0 records, cut
// short" with exit 0, `--state 1:` accepted.
TEST(HostileLog, CraftedLogsAreEscapedNamedAndRefused) {
  Workdir wd;
  const fs::path inject = CraftedLog()
                              .Add(Step("truncate_up:8: fsync\x1b[2J\nepoch 99 (from barrier 99)"))
                              .Add({scratch::RecordType::kBarrier, 0, 0, 0, {}})
                              .End()
                              .WriteTo(wd.path() / "inject.ezlog");
  Ran show = RunEofzeroWithTimeout({"log", "show", inject.string()}, 20);
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(show.out.find('\x1b'), std::string::npos) << show.out;
  EXPECT_TRUE(LinesStartingWith(show.out, "epoch 99").empty()) << show.out;
  EXPECT_NE(
      show.out.find("  step 1: truncate_up:8: fsync\\x1b[2J\\x0aepoch 99 (from barrier 99)\n"),
      std::string::npos)
      << show.out;

  const fs::path unknown = CraftedLog().AddRaw(9).End().WriteTo(wd.path() / "unknown.ezlog");
  show = RunEofzeroWithTimeout({"log", "show", unknown.string()}, 20);
  EXPECT_NE(show.out.find("damaged: record 0 at byte 64: unknown record type 9"), std::string::npos)
      << show.out;

  const fs::path header = CraftedLog().SetHeader(12, 0xffffffff).WriteTo(wd.path() / "h.ezlog");
  ExpectRefused(RunEofzeroWithTimeout({"log", "show", header.string()}, 20),
                header.string() + ": header size 4294967295; version 1's is 64");

  ExpectRefused(RunEofzeroWithTimeout({"log", "replay", inject.string(), "--state", "1:", "--image",
                                       (wd.path() / "s.img").string()},
                                      20),
                "--state: state '1:': the subset after ':' is empty (state 1 itself is '1')");
  EXPECT_FALSE(fs::exists(wd.path() / "s.img"));
}

}  // namespace
}  // namespace eofzero::itest
