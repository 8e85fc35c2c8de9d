// run --record: the scratch image served through eofzero's FUSE server. The
// log it writes rebuilds the image byte for byte; recording changes no
// verdict; and the server, its mount and the loop device over it are gone
// after a run however it ends (done, SIGINT, kill -9).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <sstream>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "harness.h"
#include "os/file_io.h"
#include "report/json_report.h"
#include "scratch/log_replay.h"
#include "scratch/scratch_fs.h"
#include "scratch/state_image.h"
#include "scratch/write_log.h"
#include "os/process.h"
#include "os/loop_device.h"
#include "os/mount.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;

bool SameFiles(const fs::path& a, const fs::path& b, std::string& why) {
  std::ifstream fa(a, std::ios::binary), fb(b, std::ios::binary);
  std::vector<char> ba(1 << 20), bb(1 << 20);
  for (std::uint64_t at = 0;; at += ba.size()) {
    fa.read(ba.data(), ba.size());
    fb.read(bb.data(), bb.size());
    if (fa.gcount() != fb.gcount()) {
      why = "sizes differ near byte " + std::to_string(at);
      return false;
    }
    for (std::streamsize i = 0; i < fa.gcount(); ++i)
      if (ba[i] != bb[i]) {
        why = "byte " + std::to_string(at + i) + " differs";
        return false;
      }
    if (fa.gcount() == 0) return true;
  }
}

// The recording server of the run `run`: its child named eofzero-record.
pid_t ServerOf(pid_t run) {
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    auto comm = os::ReadTextFile(e.path() / "comm");
    auto stat = os::ReadTextFile(e.path() / "stat");
    if (!comm || *comm != "eofzero-record\n" || !stat) continue;
    std::istringstream rest(stat->substr(stat->rfind(')') + 1));
    char state = 0;
    pid_t ppid = 0;
    if (rest >> state >> ppid && ppid == run) return std::stoi(name);
  }
  return -1;
}

// Runs eofzero (stdout to /dev/null) and, at the first line of its stderr
// that holds `marker`, stops it (SIGSTOP), stops its recording server, and
// lets it go on (SIGCONT): all it still does on its filesystem goes to a
// server that answers nothing. marker_seen: the server was stopped. Then
// waits for the run's end; after `backstop` seconds it and its server are
// killed and timed_out says so (a hang fails the test, never stalls it).
Ran RunStoppingItsServer(const std::vector<std::string>& args, const std::string& marker,
                         int backstop) {
  Ran ran;
  int err[2];
  if (::pipe(err) < 0) return ran;
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, STDOUT_FILENO);
    ::dup2(err[1], STDERR_FILENO);
    ::close(err[0]);
    ::close(err[1]);
    std::vector<char*> argv = {const_cast<char*>(EOFZERO_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(EOFZERO_BINARY, argv.data());
    ::_exit(127);
  }
  ::close(err[1]);
  pid_t server = -1;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(backstop);
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      ran.timed_out = true;
      ::kill(pid, SIGKILL);  // the run this test started, and its server
      if (server > 0) ::kill(server, SIGKILL);
      break;
    }
    pollfd pfd{err[0], POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::read(err[0], buf, sizeof buf);
    if (n <= 0) break;
    ran.err.append(buf, static_cast<std::size_t>(n));
    if (ran.marker_seen || ran.err.find(marker) == std::string::npos) continue;
    ::kill(pid, SIGSTOP);
    server = ServerOf(pid);
    ran.marker_seen = server > 0 && ::kill(server, SIGSTOP) == 0;
    ::kill(pid, SIGCONT);
  }
  ::close(err[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) ran.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) ran.term_signal = WTERMSIG(status);
  return ran;
}

class RecordOn : public testing::TestWithParam<fsdriver::FsType> {};

// Files written, synced, renamed and left unsynced on a recording scratch
// filesystem; once it is torn down (its image kept), the log's final state is
// the image, byte for byte. While it runs, the loop device reads the served
// file with direct I/O off (what makes the server see writes in order).
TEST_P(RecordOn, ReplayingTheWholeLogRebuildsTheImageByteForByte) {
  REQUIRE_ROOT_AND_FUSE();
  Workdir wd;
  scratch::ScratchSpec spec;
  spec.fs = GetParam();
  spec.record_log = (wd.path() / "r.ezlog").string();
  fs::path image;
  {
    auto made = scratch::ScratchFs::Create(spec, wd.path(), "rec");
    ASSERT_TRUE(made) << made.error().Message();
    auto& sfs = **made;
    ASSERT_TRUE(sfs.recording());
    const std::string loop = sfs.device().substr(std::string("/dev/").size());
    EXPECT_EQ(os::ReadTextFile("/sys/block/" + loop + "/loop/dio").value_or("?"), "0\n");
    EXPECT_EQ(os::ReadTextFile("/sys/block/" + loop + "/loop/backing_file").value_or("?"),
              (wd.path() / "rec.fuse" / "image").string() + "\n");
    image = sfs.image_path();
    for (int i = 0; i < 20; ++i) {
      const std::string name = (sfs.mount_dir() / ("f" + std::to_string(i))).string();
      auto fd = os::OpenFile(name, O_RDWR | O_CREAT);
      ASSERT_TRUE(fd);
      ASSERT_TRUE(os::WriteAll(fd->get(), Bytes(5000 + i * 1000, static_cast<std::uint8_t>(i + 1)),
                               0, name));
      if (i % 3 == 0) {
        ASSERT_TRUE(os::Fsync(fd->get(), name));
      }
    }
    fs::rename(sfs.mount_dir() / "f1", sfs.mount_dir() / "g1");
    sfs.KeepImage();
  }
  auto log = scratch::ReadWriteLog(spec.record_log);
  ASSERT_TRUE(log) << log.error().Message();
  EXPECT_TRUE(log->ended);
  EXPECT_EQ(log->damage, "");
  EXPECT_GT(scratch::BarrierCount(*log), 2u);
  const fs::path rebuilt = wd.path() / "rebuilt.img";
  ASSERT_TRUE(scratch::ReplayState(*log, {true, 0, std::nullopt}, rebuilt.string()));
  std::string why;
  EXPECT_TRUE(SameFiles(image, rebuilt, why)) << why;
  // And not by chance: the state of an earlier barrier is another image.
  const fs::path earlier = wd.path() / "earlier.img";
  ASSERT_TRUE(scratch::ReplayState(*log, {false, 3, std::nullopt}, earlier.string()));
  EXPECT_FALSE(SameFiles(image, earlier, why));
  fs::remove(image);
  ExpectNothingLeft(wd);
  ExpectNoServerLeft();
}

INSTANTIATE_TEST_SUITE_P(Filesystems, RecordOn,
                         testing::Values(fsdriver::FsType::kExt4, fsdriver::FsType::kXfs),
                         [](const auto& info) { return std::string(fsdriver::FsTypeName(info.param)); });

// What the filesystem on a loop device can see of it.
std::map<std::string, std::string> QueueOf(const std::string& device) {
  std::map<std::string, std::string> out;
  const std::string name = device.substr(std::string("/dev/").size());
  out["size"] = os::ReadTextFile("/sys/block/" + name + "/size").value_or("?");
  for (const char* attr : {"logical_block_size", "physical_block_size", "minimum_io_size",
                           "optimal_io_size", "discard_granularity", "discard_max_bytes",
                           "write_zeroes_max_bytes", "max_sectors_kb", "rotational", "write_cache",
                           "fua", "dax", "nomerges", "max_segments"})
    out[attr] = os::ReadTextFile("/sys/block/" + name + "/queue/" + attr).value_or("?");
  return out;
}

// The loop device over the served image is, to the filesystem, the loop
// device over the image itself: the same size and queue limits.
TEST_P(RecordOn, TheDeviceLooksTheSameAsWithoutRecording) {
  REQUIRE_ROOT_AND_FUSE();
  Workdir wd;
  scratch::ScratchSpec spec;
  spec.fs = GetParam();
  auto plain = scratch::ScratchFs::Create(spec, wd.path(), "plain");
  ASSERT_TRUE(plain) << plain.error().Message();
  spec.record_log = (wd.path() / "r.ezlog").string();
  auto recorded = scratch::ScratchFs::Create(spec, wd.path(), "rec");
  ASSERT_TRUE(recorded) << recorded.error().Message();
  EXPECT_EQ(QueueOf((*plain)->device()), QueueOf((*recorded)->device()));
  EXPECT_EQ((*plain)->block_size(), (*recorded)->block_size());
}

std::map<std::string, std::string> Verdicts(const fs::path& json) {
  std::map<std::string, std::string> out;
  auto doc = nlohmann::ordered_json::parse(ReadFile(json), nullptr, false);
  auto record = report::RunRecordFromJson(doc);
  EXPECT_TRUE(record) << ReadFile(json);
  if (!record) return out;
  for (const auto& c : record->configs)
    for (const auto& r : c.cases)
      out[c.config.fs + " " + r.case_name] = std::string(oracles::OutcomeName(r.outcome));
  return out;
}

// The default cases on ext4 and xfs, with and without --record: the same
// verdicts. The times go to the test's output (the cost of recording).
TEST(Recording, ChangesNoVerdict) {
  REQUIRE_ROOT_AND_FUSE();
  Workdir wd;
  fs::create_directories(wd.path() / "logs");
  std::map<std::string, std::string> verdicts[2];
  double seconds[2];
  for (int record = 0; record < 2; ++record) {
    const fs::path json = wd.path() / ("run" + std::to_string(record) + ".json");
    std::vector<std::string> args = {"run",      "--workdir", wd.str(), "--fs",  "ext4,xfs",
                                     "--format", "json",      "--output", json.string()};
    if (record) args.insert(args.end(), {"--record", (wd.path() / "logs").string()});
    const auto start = std::chrono::steady_clock::now();
    Ran ran = RunEofzero(args);
    seconds[record] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.out << ran.err;
    verdicts[record] = Verdicts(json);
  }
  EXPECT_FALSE(verdicts[0].empty());
  EXPECT_EQ(verdicts[0], verdicts[1]);
  for (const char* log : {"ext4-4096.ezlog", "xfs-4096.ezlog"}) {
    auto read = scratch::ReadWriteLog((wd.path() / "logs" / log).string());
    ASSERT_TRUE(read) << read.error().Message();
    EXPECT_TRUE(read->ended) << log;
  }
  RecordProperty("seconds_without_record", std::to_string(seconds[0]));
  RecordProperty("seconds_with_record", std::to_string(seconds[1]));
  std::cout << "default cases on ext4+xfs: " << seconds[0] << " s without --record, " << seconds[1]
            << " s with it (" << seconds[1] / seconds[0] << "x)\n";
  ExpectNothingLeft(wd);
  ExpectNoServerLeft();
}

// SIGINT or kill -9 while a recording run is at a step: its server, the
// server's mount and the loop device over it are gone (the run unwinds, or
// its guardian releases them), and the log is closed.
// Held at a step of truncate_up, or at another message.
struct Stop {
  const char* step;
  const char* text;
  int signo;
  const char* name;
};
void PrintTo(const Stop& stop, std::ostream* os) { *os << stop.name; }
class RecordingStopped : public testing::TestWithParam<Stop> {};

TEST_P(RecordingStopped, LeavesNoServerMountOrLoopDevice) {
  REQUIRE_ROOT_AND_FUSE();
  Workdir wd;
  const fs::path state = wd.path().string() + ".state";
  ::setenv("EOFZERO_STATE_DIR", state.c_str(), 1);
  const Stop& at = GetParam();
  Ran ran = RunEofzeroAndInterrupt(
      {"run", "--fs", "ext4", "--case", "truncate_up", "--workdir", wd.str(), "--record", wd.str()},
      at.step ? StepPoint("truncate_up", at.step) : at.text, at.signo);
  ASSERT_TRUE(ran.marker_seen) << ran.err;
  ExpectNothingLeft(wd);
  ExpectNoServerLeft();
  auto log = scratch::ReadWriteLog((wd.path() / "ext4-4096.ezlog").string());
  ASSERT_TRUE(log) << log.error().Message();
  EXPECT_TRUE(log->ended) << "the server did not close its log";
  ::unsetenv("EOFZERO_STATE_DIR");
  std::error_code ec;
  fs::remove_all(state, ec);
}

INSTANTIATE_TEST_SUITE_P(Moments, RecordingStopped,
                         testing::Values(Stop{"plant", nullptr, SIGINT, "Sigintplant"},
                                         Stop{"plant", nullptr, SIGKILL, "Sigkillplant"},
                                         Stop{nullptr, "ext4-4096: mkfs.ext4", SIGKILL,
                                              "Sigkillmkfsext4"},
                                         Stop{"shutdown -f", nullptr, SIGKILL, "Sigkillshutdownf"}),
                         [](const auto& info) { return std::string(info.param.name); });

// The first barrier after the case's first step: a state with a filesystem.
std::uint64_t FirstBarrierInTheCase(const scratch::ParsedLog& log) {
  std::uint64_t barrier = 0;
  bool in_case = false;
  for (const auto& r : log.records) {
    if (r.type == scratch::RecordType::kStep &&
        std::string(r.payload.begin(), r.payload.end()).find(":") != std::string::npos)
      in_case = true;
    if (r.type == scratch::RecordType::kBarrier && ++barrier && in_case) return barrier;
  }
  return 0;
}

// A crash state served in layers (the log's payloads and an overlay, no
// image copied) holds exactly the bytes `log replay` writes for it; it
// mounts (the journal replays into the overlay) and fsck reads it; the log
// is unchanged afterwards.
TEST_P(RecordOn, AStateServedInLayersIsTheReplayedStateAndMounts) {
  REQUIRE_ROOT_AND_FUSE();
  Workdir wd;
  const std::string fs_name(fsdriver::FsTypeName(GetParam()));
  Ran ran = RunEofzero({"run", "--fs", fs_name, "--case", "truncate_up", "--workdir", wd.str(),
                        "--record", wd.str()});
  ASSERT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.err;
  const fs::path log_path = wd.path() / (fs_name + "-4096.ezlog");
  const std::string log_bytes = ReadFile(log_path);
  auto log = scratch::ReadWriteLog(log_path.string());
  ASSERT_TRUE(log) << log.error().Message();
  const std::uint64_t k = FirstBarrierInTheCase(*log);
  ASSERT_GT(k, 0u);
  const scratch::StateAddress state{false, k, std::nullopt};
  const fs::path replayed = wd.path() / "replayed.img";
  ASSERT_TRUE(scratch::ReplayState(*log, state, replayed.string()));

  auto log_fd = os::OpenFile(log_path.string(), O_RDONLY);
  ASSERT_TRUE(log_fd);
  auto image = scratch::StateImage::Create(*log, state, log_fd->get());
  ASSERT_TRUE(image) << image.error().Message();
  fs::create_directories(wd.path() / "state.fuse");
  fs::create_directories(wd.path() / "state.mnt");
  os::NoFileEvents events;
  auto server = os::FuseFileServer::Start((wd.path() / "state.fuse").string(), "image", **image,
                                          events, {log_fd->get()});
  ASSERT_TRUE(server) << server.error().Message();
  {
    auto loop = os::LoopDevice::Attach(server->file_path(), 0);
    ASSERT_TRUE(loop) << loop.error().Message();
    std::string why;
    EXPECT_TRUE(SameFiles(loop->path(), replayed, why)) << why;
    ASSERT_TRUE(os::MountFilesystem(loop->path(), (wd.path() / "state.mnt").string(), fs_name, ""));
    EXPECT_TRUE(fs::exists(wd.path() / "state.mnt"));
    EXPECT_TRUE(os::UnmountFilesystem((wd.path() / "state.mnt").string(), false));
    // What the mount wrote (its recovery, the superblock) is in the overlay:
    // the served state changed, the log did not (below).
    EXPECT_FALSE(SameFiles(loop->path(), replayed, why)) << "the mount wrote nothing";
    auto fsck = os::RunProcess(GetParam() == fsdriver::FsType::kExt4
                                   ? std::vector<std::string>{"e2fsck", "-fn", loop->path()}
                                   : std::vector<std::string>{"xfs_repair", "-n", loop->path()});
    ASSERT_TRUE(fsck);
    EXPECT_EQ(fsck->exit_code, 0) << fsck->out << fsck->err;
    EXPECT_TRUE(loop->Detach());
  }
  EXPECT_TRUE(server->Stop());
  EXPECT_TRUE(ReadFile(log_path) == log_bytes) << "the log changed";
  ExpectNothingLeft(wd);
  ExpectNoServerLeft();
}

// kill -STOP of the recording server mid-run (the hostile round: the run sat
// in D state for ever, deaf to SIGINT). The watchdog aborts the server's
// connection once a request waits --server-timeout seconds: the case is an
// ERROR naming the server and its state, and everything is released (the
// stopped server is killed by the run that started it).
TEST(Recording, AServerThatStopsAnsweringIsAnErrorAndNoHang) {
  REQUIRE_ROOT_AND_FUSE();
  Workdir wd;
  const fs::path state = wd.path().string() + ".state";
  ::setenv("EOFZERO_STATE_DIR", state.c_str(), 1);
  const fs::path report = wd.path() / "run.json";
  // Stopped as its first case begins: the rest of the run (that case
  // and two more, the teardown) is I/O the stopped server must answer.
  Ran ran = RunStoppingItsServer(
      {"run", "--fs", "ext4", "--case", "truncate_up,append_write,fallocate", "--workdir",
       wd.str(), "--record", wd.str(), "--server-timeout", "5", "--format", "json", "--output",
       report.string(), "-vv"},
      " (1 of 3)", 240);
  ASSERT_TRUE(ran.marker_seen) << ran.err;
  EXPECT_FALSE(ran.timed_out) << "the run hung on the stopped server\n" << ran.err;
  EXPECT_TRUE(ran.exit_code == 3 || ran.exit_code == 1) << ran.exit_code << "\n" << ran.err;
  auto read = report::LoadJsonReport(report);
  ASSERT_TRUE(read) << ReadFile(report);
  std::string errors;
  for (const auto& c : read->configs)
    for (const auto& r : c.cases)
      if (r.outcome == oracles::Outcome::kError) errors += r.case_name + ": " + r.summary + "\n";
  EXPECT_NE(errors.find("state T (stopped)) left a request unanswered for 5 s; the run aborted "
                        "its connection"),
            std::string::npos)
      << errors << ran.err;
  ExpectNothingLeft(wd);
  ExpectNoServerLeft();
  ::unsetenv("EOFZERO_STATE_DIR");
  std::error_code ec;
  fs::remove_all(state, ec);
}

// log show lists every record under its epoch and step; log replay refuses
// a state the log does not have, and an existing image.
TEST(Recording, LogShowAndReplayOfARealLog) {
  REQUIRE_ROOT_AND_FUSE();
  Workdir wd;
  Ran ran = RunEofzero({"run", "--fs", "xfs", "--case", "truncate_up", "--workdir", wd.str(),
                        "--record", wd.str()});
  ASSERT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.err;
  const std::string log = (wd.path() / "xfs-4096.ezlog").string();
  Ran show = RunEofzero({"log", "show", log});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("step "), std::string::npos);
  EXPECT_NE(show.out.find("truncate_up:"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("barrier 1 ("), std::string::npos);
  EXPECT_NE(show.out.find("epoch 1 (from barrier 1)"), std::string::npos);
  Ran replay = RunEofzero(
      {"log", "replay", log, "--state", "1", "--image", (wd.path() / "s1.img").string()});
  EXPECT_EQ(replay.exit_code, 0) << replay.err;
  Ran again = RunEofzero(
      {"log", "replay", log, "--state", "1", "--image", (wd.path() / "s1.img").string()});
  EXPECT_EQ(again.exit_code, 2);
  Ran past = RunEofzero(
      {"log", "replay", log, "--state", "999999", "--image", (wd.path() / "s2.img").string()});
  EXPECT_EQ(past.exit_code, 2);
  EXPECT_NE(past.err.find("past the log's last"), std::string::npos) << past.err;
}

}  // namespace
}  // namespace eofzero::itest
