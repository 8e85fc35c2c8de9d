// run --record --crash-states: every crash state a case's crash implies is
// mounted, checked through every oracle and fsck'd; a bad state planted in
// the log is caught; the states' servers, mounts and loop devices are gone
// afterwards, however the run ends. Never asserts how a kernel fares: a
// state that breaks an invariant is a finding, not a test failure.
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "harness.h"
#include "os/file_io.h"
#include "scratch/log_replay.h"
#include "scratch/scratch_fs.h"
#include "scratch/state_image.h"
#include "scratch/write_log.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

// The JSON report's CASE@states records, by "fs case".
std::map<std::string, json> StateRecords(const fs::path& report) {
  std::map<std::string, json> out;
  auto doc = json::parse(ReadFile(report), nullptr, false);
  if (doc.is_discarded()) return out;
  for (const auto& c : doc["configurations"])
    for (const auto& r : c["cases"]) {
      const std::string name = r["case"].get<std::string>();
      if (name.ends_with("@states")) out[c["fs"].get<std::string>() + " " + name] = r;
    }
  return out;
}

// Every case of the default trio on ext4 and xfs: its states are planned,
// checked (identical images once) and each reaches a verdict of its own —
// never an ERROR, which would be the tool's — with a command that rebuilds
// it; the last state checked, rebuilt by `log replay`, is byte for byte the
// state that was served.
TEST(CrashStates, EveryStateOfTheTrioIsCheckedAndCanBeRebuilt) {
  REQUIRE_ROOT_AND_FUSE();
  Workdir wd;
  const fs::path report = wd.path() / "run.json";
  Ran ran = RunEofzero({"run", "--fs", "ext4,xfs", "--workdir", wd.str(), "--record", wd.str(),
                        "--crash-states", "--format", "json", "--output", report.string()});
  ASSERT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.out << ran.err;
  const auto records = StateRecords(report);
  ASSERT_EQ(records.size(), 6u) << ReadFile(report);
  for (const auto& [name, r] : records) {
    SCOPED_TRACE(name);
    const auto& s = r["crash_states"];
    EXPECT_NE(r["verdict"], "ERROR") << r["summary"];
    EXPECT_GT(s["checked"].get<int>(), 0);
    EXPECT_EQ(s["planned"].get<int>(), s["checked"].get<int>() + s["identical"].get<int>());
    EXPECT_EQ(s["states"].size(), s["checked"].get<std::size_t>());
    for (const auto& st : s["states"]) {
      EXPECT_NE(st["outcome"], "ERROR") << st["state"] << ": " << st["summary"];
      EXPECT_NE(st["rebuild"].get<std::string>().find("--state " + st["state"].get<std::string>()),
                std::string::npos);
    }
  }
  const auto& ext4 = records.at("ext4 append_write@states")["crash_states"];
  const std::string log = ext4["log"].get<std::string>();
  const std::string state = ext4["states"].back()["state"].get<std::string>();
  const fs::path image = wd.path() / "rebuilt.img";
  Ran replay = RunEofzero({"log", "replay", log, "--state", state, "--image", image.string()});
  ASSERT_EQ(replay.exit_code, 0) << replay.err;
  auto parsed = scratch::ReadWriteLog(log);
  ASSERT_TRUE(parsed) << parsed.error().Message();
  auto served = scratch::StateImage::Create(*parsed, *scratch::ParseStateAddress(state), -1);
  ASSERT_TRUE(served);
  std::ifstream in(image, std::ios::binary);
  Bytes want(1 << 20), got(1 << 20);
  for (std::uint64_t at = 0; at < parsed->header.image_bytes; at += want.size()) {
    in.read(reinterpret_cast<char*>(want.data()), static_cast<std::streamsize>(want.size()));
    ASSERT_EQ(in.gcount(), static_cast<std::streamsize>(want.size()));
    (*served)->Read(at, got);
    ASSERT_TRUE(want == got) << "state " << state << " differs near byte " << at;
  }
  ExpectNothingLeft(wd);
  ExpectNoServerLeft();
}

// One server and loop device serve a case's states in turn: after a switch
// the device reads as the new state, not as the cached old one (each read
// here goes through the block device's page cache, as a mount's does), and
// what a mount wrote to the state before is gone.
TEST(CrashStates, SwitchingTheServedStateLeavesNothingOfTheOneBefore) {
  REQUIRE_ROOT_AND_FUSE();
  Workdir wd;
  Ran ran = RunEofzero({"run", "--fs", "ext4", "--case", "truncate_up", "--workdir", wd.str(),
                        "--record", wd.str()});
  ASSERT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.err;
  auto log = scratch::ReadWriteLog((wd.path() / "ext4-4096.ezlog").string());
  ASSERT_TRUE(log) << log.error().Message();
  const std::uint64_t last = scratch::BarrierCount(*log);
  ASSERT_GT(last, 8u);
  // Two states of the case: before its extension, and the last barrier.
  const std::vector<scratch::StateAddress> states = {{false, last / 2, std::nullopt},
                                                     {false, last, std::nullopt}};
  auto series = scratch::StateSeries::Create(*log, states);
  ASSERT_TRUE(series);
  scratch::ScratchSpec spec;
  spec.fs = fsdriver::FsType::kExt4;
  auto fs =
      scratch::ScratchFs::ServeState(spec, wd.path(), "series", std::move(*series), "", 4096);
  ASSERT_TRUE(fs) << fs.error().Message();
  auto device_bytes = [&] { return ReadFile((*fs)->device()); };
  std::string want[2];
  for (int i = 0; i < 2; ++i) {
    const fs::path out = wd.path() / ("s" + std::to_string(i) + ".img");
    ASSERT_TRUE(scratch::ReplayState(*log, states[i], out.string()));
    want[i] = ReadFile(out);
  }
  ASSERT_NE(want[0], want[1]);
  for (int i : {0, 1, 0, 1}) {
    SCOPED_TRACE(i);
    ASSERT_TRUE((*fs)->SelectState(i));
    EXPECT_TRUE(device_bytes() == want[i]);
    ASSERT_TRUE((*fs)->Mount());  // writes the superblock (and replays the journal) on top
    ASSERT_TRUE((*fs)->Unmount());
    EXPECT_FALSE(device_bytes() == want[i]) << "the mount wrote nothing";
  }
  fs->reset();
  ExpectNothingLeft(wd);
  ExpectNoServerLeft();
}

// The control: a write of the window changed in the log to carry the
// sentinel into the gap. Some state then holds it inside the file, and the
// states' verdict must be a FAIL that names it.
class CrashStatesControl : public testing::TestWithParam<const char*> {};

TEST_P(CrashStatesControl, APlantedBadStateIsCaught) {
  REQUIRE_ROOT_AND_FUSE();
  Workdir wd;
  const fs::path report = wd.path() / "run.json";
  Ran ran = RunEofzero({"run", "--fs", GetParam(), "--case", "truncate_up", "--workdir", wd.str(),
                        "--record", wd.str(), "--crash-states", "--inject-fault",
                        "bad-logged-write", "--format", "json", "--output", report.string()});
  ASSERT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.out << ran.err;
  const auto records = StateRecords(report);
  ASSERT_EQ(records.size(), 1u) << ReadFile(report);
  const auto& r = records.begin()->second;
  const std::string control = r["notes"].dump();
  if (control.find("nothing to change") != std::string::npos)
    GTEST_SKIP() << "this kernel wrote no block over the gap in the window: " << control;
  EXPECT_NE(control.find("control: record"), std::string::npos) << control;
  EXPECT_EQ(r["verdict"], "FAIL") << r["summary"];
  const std::string evidence = r["evidence"].get<std::string>();
  EXPECT_NE(evidence.find("no stale bytes"), std::string::npos) << evidence;
  EXPECT_NE(evidence.find("rebuild: eofzero log replay"), std::string::npos) << evidence;
  EXPECT_EQ(ran.exit_code, 1);
  ExpectNothingLeft(wd);
  ExpectNoServerLeft();
}

INSTANTIATE_TEST_SUITE_P(Filesystems, CrashStatesControl, testing::Values("ext4", "xfs"));

// SIGINT or kill -9 while a state is being checked: its mount, its loop
// device and its FUSE server are gone afterwards (the run unwinds, or its
// guardian releases them).
class CrashStatesStopped : public testing::TestWithParam<int> {};

TEST_P(CrashStatesStopped, LeaveNoMountLoopDeviceOrServer) {
  REQUIRE_ROOT_AND_FUSE();
  Workdir wd;
  const fs::path state = wd.path().string() + ".state";
  ::setenv("EOFZERO_STATE_DIR", state.c_str(), 1);
  // Held as the fifth state planned starts, whichever it is ("append_write:
  // checking crash state ADDRESS (5 of N)").
  Ran ran = RunEofzeroAndInterrupt({"run", "--fs", "ext4", "--case", "append_write", "--workdir",
                                    wd.str(), "--record", wd.str(), "--crash-states"},
                                   " (5 of ", GetParam());
  ASSERT_TRUE(ran.marker_seen) << ran.err;
  if (GetParam() == SIGINT) {
    EXPECT_NE(ran.err.find("interrupted by signal 2"), std::string::npos) << ran.err;
  }
  ExpectNothingLeft(wd);
  ExpectNoServerLeft();
  ::unsetenv("EOFZERO_STATE_DIR");
  std::error_code ec;
  fs::remove_all(state, ec);
}

INSTANTIATE_TEST_SUITE_P(Signals, CrashStatesStopped, testing::Values(SIGINT, SIGKILL),
                         [](const auto& info) {
                           return std::string(info.param == SIGINT ? "Sigint" : "Sigkill");
                         });

// SIGINT while append_write remounts after its crash (the hostile round: its
// states were a SKIP, "the case did not run to its end", not_run false).
// Whether the signal lands in the case or in its states, they did not run
// to their end: an ERROR that did not run, in the JSON as in the README.
TEST(CrashStates, AnInterruptDuringTheCaseLeavesItsStatesAnErrorThatDidNotRun) {
  REQUIRE_ROOT_AND_FUSE();
  Workdir wd;
  const fs::path state = wd.path().string() + ".state";
  ::setenv("EOFZERO_STATE_DIR", state.c_str(), 1);
  const fs::path report = wd.path() / "run.json";
  Ran ran = RunEofzeroAndInterrupt({"run", "--fs", "ext4", "--case", "append_write", "--workdir",
                                    wd.str(), "--record", wd.str(), "--crash-states", "--format",
                                    "json", "--output", report.string(), "-vv"},
                                   "append_write:16: cycle_mount", SIGINT);
  ASSERT_TRUE(ran.marker_seen) << ran.err;
  EXPECT_EQ(ran.exit_code, 128 + SIGINT) << ran.err;
  const auto records = StateRecords(report);
  ASSERT_EQ(records.count("ext4 append_write@states"), 1u) << ReadFile(report);
  const json& r = records.at("ext4 append_write@states");
  EXPECT_EQ(r["verdict"], "ERROR") << r.dump();
  EXPECT_EQ(r["not_run"], true) << r.dump();
  EXPECT_TRUE(r["summary"].get<std::string>().find("interrupted by signal 2") !=
              std::string::npos)
      << r.dump();
  ExpectNothingLeft(wd);
  ExpectNoServerLeft();
  ::unsetenv("EOFZERO_STATE_DIR");
  std::error_code ec;
  fs::remove_all(state, ec);
}

}  // namespace
}  // namespace eofzero::itest
