// The interpreter and its oracles over a fake machine (tests/unit/fake_system.h),
// without root: the calls a case makes, in order; its verdict on a
// filesystem that keeps the promise and on one that breaks it; what each
// fault wrapper changes; and which errors are skips and which are errors.
#include "engine/interpreter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "engine/case_file.h"
#include "engine/faults.h"
#include "engine/scenario.h"
#include "case_text.h"
#include "fake_system.h"
#include "oracles/verdict.h"
#include "scratch/raw_access.h"

namespace eofzero::engine {
namespace {

using oracles::Outcome;
using test::FakeSystem;

constexpr const char* kMount = "/fake/mnt";

CaseSpec Case(const std::string& name, const std::string& steps) {
  return test::CaseFromSteps(name, steps);
}
const std::string& kTruncateUp = test::kTruncateUpSteps;
const std::string& kAppendWrite = test::kAppendWriteSteps;

struct Machine {
  FakeSystem sys{"/dev/fake", kMount, 4096};
  std::unique_ptr<scratch::ScratchFs> fs = scratch::ScratchFs::Adopt(
      sys, scratch::ScratchSpec{}, "/dev/fake", 0, "fake-uuid", kMount, 4096);

  oracles::Verdict Run(const CaseSpec& spec, std::vector<Fault> faults = {}) {
    ScenarioOptions options;
    options.faults = std::move(faults);
    run = RunCase(*fs, spec, options);
    return oracles::Judge(run);
  }
  CaseRun run;
};

TEST(Interpreter, TheCallsACaseMakesInOrder) {
  Machine m;
  auto v = m.Run(Case("truncate_up", kTruncateUp));
  ASSERT_EQ(v.outcome, Outcome::kPass) << v.summary << " " << m.run.reason;
  std::vector<std::string> calls;
  for (const auto& c : m.sys.calls)
    if (!c.starts_with("close") && !c.starts_with("munmap")) calls.push_back(c);
  const std::vector<std::string> expected = {
      "open case_truncate_up", "pwrite case_truncate_up 0+4096", "fsync case_truncate_up",
      "truncate case_truncate_up 4080", "fsync case_truncate_up",
      // the plant: map the EOF block, unmount, sentinel, read it back, mount, look through
      "open case_truncate_up", "fiemap case_truncate_up 0+4096", "umount",
      "device-write 1048576+4096", "device-read 1048576+4096", "mount", "open case_truncate_up",
      "direct-read case_truncate_up 0+4096",
      // the extension, and the look before the crash: buffered, then mmap
      "open case_truncate_up", "truncate case_truncate_up 8192", "pread case_truncate_up 0+4096",
      "mmap-read case_truncate_up 0+4096",
      // the crash and the remount, after which the size it kept is durable (stat)
      "shutdown logflush", "umount", "mount", "open case_truncate_up",
      // after the crash: direct, mmap, buffered; FIEMAP; on the kernel's view
      // metadata, offline, fsck; the cache dropped (a scratch device: the fake
      // has no image), and the same on the disk's view; raw device
      "open case_truncate_up", "direct-read case_truncate_up 0+4096", "fadvise case_truncate_up",
      "mmap-read case_truncate_up 0+4096", "fadvise case_truncate_up",
      "pread case_truncate_up 0+4096",
      // the crash model's look at the whole file where the case touched it
      "direct-read case_truncate_up 0+12288", "fadvise case_truncate_up",
      "pread case_truncate_up 0+12288", "fiemap case_truncate_up 0+4096", "umount",
      "run debugfs -c -R stats /dev/fake", "ext4-offline /case_truncate_up",
      "run e2fsck -fn /dev/fake", "device-flushbuf", "run debugfs -c -R stats /dev/fake",
      "ext4-offline /case_truncate_up", "run e2fsck -fn /dev/fake", "device-read 1048576+4096",
      "mount"};
  EXPECT_EQ(calls, expected);
  EXPECT_EQ(m.sys.open_descriptors(), 0u) << "every descriptor closed";
  EXPECT_TRUE(m.sys.mounted());
}

TEST(Interpreter, PassesOnAFilesystemThatWritesTheZeroedGapBack) {
  Machine m;
  auto v = m.Run(Case("append_write", kAppendWrite));
  EXPECT_EQ(v.outcome, Outcome::kPass) << v.summary << " " << m.run.reason;
  EXPECT_EQ(m.run.views.size(), 7u) << "2 oracles before the crash, 5 after";
}

// generic/790's finding, on the fake: the gap is zero in memory, never on disk.
TEST(Interpreter, FailsOnAFilesystemThatZeroesTheGapOnlyInMemory) {
  Machine m;
  m.sys.zero_gap_in_memory_only = true;
  auto v = m.Run(Case("append_write", kAppendWrite));
  ASSERT_EQ(v.outcome, Outcome::kFail) << v.summary << " " << m.run.reason;
  std::vector<Oracle> failing;
  for (const auto* r : v.Failing()) {
    EXPECT_EQ(r->phase, Phase::kAfterCrash) << "zero in memory: clean before the crash";
    failing.push_back(r->oracle);
  }
  for (Oracle o : {Oracle::kDirectRead, Oracle::kMmap, Oracle::kBufferedRead, Oracle::kRawDevice,
                   Oracle::kOffline})
    EXPECT_NE(std::find(failing.begin(), failing.end(), o), failing.end()) << OracleName(o);
}

// Each fault wrapper changes one thing the machine does, and the verdict
// shows it; the engine's code is the same.
TEST(Faults, EachMakesItsOracleFail) {
  {
    Machine m;
    auto v = m.Run(Case("truncate_up", kTruncateUp), {Fault::kStaleAfterCrash});
    EXPECT_EQ(v.outcome, Outcome::kFail) << v.summary;
    for (const auto* r : v.Failing()) EXPECT_EQ(r->phase, Phase::kAfterCrash);
  }
  {
    Machine m;
    auto v = m.Run(Case("truncate_up", kTruncateUp), {Fault::kStaleInCache});
    EXPECT_EQ(v.outcome, Outcome::kFail) << v.summary;
    bool before = false;
    for (const auto* r : v.Failing()) before |= r->phase == Phase::kBeforeCrash;
    EXPECT_TRUE(before);
  }
  {
    Machine m;
    auto v = m.Run(Case("truncate_up", kTruncateUp), {Fault::kWrongSizeAfterCrash});
    EXPECT_EQ(v.outcome, Outcome::kFail) << v.summary;
    EXPECT_TRUE(v.wrong_size) << v.summary;
  }
}

// The fake's views agree; without a disk view there is nothing to compare.
TEST(Interpreter, BothViewsOfTheDiskAreRead) {
  Machine m;
  auto v = m.Run(Case("truncate_up", kTruncateUp));
  ASSERT_EQ(v.outcome, Outcome::kPass) << v.summary << " " << m.run.reason;
  ASSERT_TRUE(m.run.disk_views);
  ASSERT_TRUE(m.run.disk_views->disk);
  EXPECT_EQ(m.run.disk_views->kernel.source, "/dev/fake");
  EXPECT_NE(m.run.disk_views->disk->how.find("BLKFLSBUF"), std::string::npos);
  EXPECT_TRUE(m.run.disk_views->disk->fsck.run);
  EXPECT_TRUE(m.run.disk_views->disk->offline);
  EXPECT_FALSE(v.views);

  Machine broken;
  broken.sys.FailNext("device-flushbuf", EACCES);
  v = broken.Run(Case("truncate_up", kTruncateUp));
  EXPECT_EQ(v.outcome, Outcome::kPass) << v.summary;
  ASSERT_TRUE(broken.run.disk_views);
  EXPECT_FALSE(broken.run.disk_views->disk);
  EXPECT_NE(broken.run.disk_views->unavailable.find("cannot drop the block device's cache"),
            std::string::npos)
      << broken.run.disk_views->unavailable;
}

// The cache-only fault needs an image the run made; on a scratch device (the
// fake's) it is an ERROR, never a PASS.
TEST(Faults, TheCacheOnlyFaultOnAScratchDeviceIsAnError) {
  Machine m;
  auto v = m.Run(Case("truncate_up", kTruncateUp), {Fault::kCacheDisagreesWithDisk});
  EXPECT_EQ(v.outcome, Outcome::kError) << v.summary;
  EXPECT_NE(v.summary.find("needs an image"), std::string::npos) << v.summary;
}

TEST(Faults, ALostPlantWriteIsAnErrorAndTheDeviceNeverSawTheWrite) {
  Machine m;
  auto v = m.Run(Case("truncate_up", kTruncateUp), {Fault::kPlantLostWrite});
  EXPECT_EQ(v.outcome, Outcome::kError);
  EXPECT_NE(m.run.reason.find("plant not verified"), std::string::npos) << m.run.reason;
  EXPECT_EQ(m.sys.DeviceBytes(1048576, 16), Bytes(16, 0x5a)) << "the data, not the sentinel";
}

TEST(Faults, AnExceptionAfterThePlantIsAnErrorWithEverythingReleased) {
  Machine m;
  auto v = m.Run(Case("truncate_up", kTruncateUp), {Fault::kThrowAfterPlant});
  EXPECT_EQ(v.outcome, Outcome::kError);
  EXPECT_NE(m.run.reason.find("unexpected exception"), std::string::npos) << m.run.reason;
  EXPECT_EQ(m.sys.open_descriptors(), 0u);
  EXPECT_EQ(m.sys.mappings(), 0u);
  EXPECT_TRUE(m.sys.mounted());
}

// The errno policy is the os/ layer's: the engine passes on what it says.
TEST(Interpreter, WhatTheFilesystemDoesNotOfferIsASkipAnythingElseAnError) {
  const std::string copy = R"(pwrite -S 0x5a 0 {eob}
fsync
truncate {eof}
fsync
file donor
pwrite -S 0x77 0 {bs}
file main
plant
copy_range -s 0 -d {eob} -l {bs} donor
check gap
shutdown -f
cycle_mount
expect size {eob + bs}
check gap
)";
  {
    Machine m;
    m.sys.FailNext("copy_range", EOPNOTSUPP);
    m.Run(Case("copy", copy));
    EXPECT_EQ(m.run.status, RunStatus::kSkipped) << m.run.reason;
  }
  {
    Machine m;
    m.sys.FailNext("copy_range", EIO);
    m.Run(Case("copy", copy));
    EXPECT_EQ(m.run.status, RunStatus::kError) << m.run.reason;
  }
}

// The plant's gate, without a device: a write outside the mapped extent is
// refused before anything reaches the device.
TEST(RawAccessGate, AWriteOutsideTheMappedExtentNeverReachesTheDevice) {
  Machine m;
  ASSERT_TRUE(m.fs->Unmount());
  const scratch::BlockLocation where{1 << 20, 4096, os::Extent{0, 1 << 20, 4096, 0}};
  auto outside = scratch::WriteInsideExtent(*m.fs, where, (1 << 20) + 4096, Bytes(4096, 1));
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().kind, os::ErrorKind::kSafety);
  auto ok = scratch::WriteInsideExtent(*m.fs, where, 1 << 20, Bytes(4096, 1));
  EXPECT_TRUE(ok) << ok.error().Message();
  EXPECT_EQ(std::count_if(m.sys.calls.begin(), m.sys.calls.end(),
                          [](const std::string& c) { return c.starts_with("device-write"); }),
            1);
}

}  // namespace
}  // namespace eofzero::engine
