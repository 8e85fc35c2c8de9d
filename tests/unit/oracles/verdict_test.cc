#include "oracles/verdict.h"

#include <gtest/gtest.h>

#include "engine/sentinel.h"
#include "recorded_output.h"

namespace eofzero::oracles {
namespace {

using engine::BlockView;
using engine::CaseRun;
using engine::Oracle;
using engine::Phase;
using engine::RunStatus;

BlockView View(Oracle o, Phase p, Bytes bytes) {
  BlockView v;
  v.oracle = o;
  v.phase = p;
  v.bytes = std::move(bytes);
  v.gap = {4080, 4096};
  return v;
}

Bytes Clean() {
  Bytes b(4096, 0x5a);
  std::fill(b.begin() + 4080, b.end(), 0);
  return b;
}

// A completed run in which every oracle saw a zero gap.
CaseRun CleanRun() {
  CaseRun run;
  run.case_name = "truncate_up";
  run.status = RunStatus::kCompleted;
  run.block_size = 4096;
  run.old_eof = 4080;
  run.sizes = {{Phase::kAfterCrash, 12, 8192, 8192}};
  run.plant = engine::PlantRecord{{0, 40960, 4096, 1}, 40960, 4096, true, true};
  for (Phase p : {Phase::kBeforeCrash, Phase::kAfterCrash})
    for (Oracle o : {Oracle::kBufferedRead, Oracle::kMmap})
      run.views.push_back(View(o, p, Clean()));
  run.views.push_back(View(Oracle::kDirectRead, Phase::kAfterCrash, Clean()));
  run.views.push_back(View(Oracle::kRawDevice, Phase::kAfterCrash, Clean()));
  return run;
}

TEST(Judge, AllOraclesCleanIsPass) {
  auto v = Judge(CleanRun());
  EXPECT_EQ(v.outcome, Outcome::kPass) << v.summary;
  EXPECT_EQ(v.oracles.size(), 6u);
  EXPECT_TRUE(v.Failing().empty());
}

TEST(Judge, EachOracleAloneCanFailTheCase) {
  for (std::size_t i = 0; i < CleanRun().views.size(); ++i) {
    CaseRun run = CleanRun();
    run.views[i].bytes = engine::SentinelBlock(4096);
    auto v = Judge(run);
    EXPECT_EQ(v.outcome, Outcome::kFail) << i;
    ASSERT_EQ(v.Failing().size(), 1u);
    EXPECT_EQ(v.Failing()[0]->view_index, i);
    EXPECT_NE(v.summary.find(engine::OracleName(run.views[i].oracle)), std::string::npos);
  }
}

TEST(Judge, WrongSizeAfterCrashIsFail) {
  CaseRun run = CleanRun();
  run.sizes[0].observed = 4080;
  auto v = Judge(run);
  EXPECT_EQ(v.outcome, Outcome::kFail);
  ASSERT_TRUE(v.wrong_size);
  EXPECT_EQ(v.wrong_size->observed, 4080u);
  EXPECT_NE(v.summary.find("size after crash 4080, expected 8192"), std::string::npos)
      << v.summary;
}

TEST(Judge, SizeRolledBackAfterALogFlushIsFailEvenWithNothingLeftToRead) {
  CaseRun run = CleanRun();
  run.sizes[0].observed = 4080;
  for (auto& v : run.views)
    if (v.phase == Phase::kAfterCrash) v.bytes = engine::SentinelBlock(4096);
  auto v = Judge(run);
  EXPECT_EQ(v.outcome, Outcome::kFail) << v.summary;
  EXPECT_TRUE(v.wrong_size);
  EXPECT_TRUE(v.Failing().empty()) << "bytes past the new EOF are the plant, not a finding";
}

TEST(Judge, AfterTheCrashOnlyBytesInsideTheFileAreJudged) {
  CaseRun run = CleanRun();
  run.sizes = {{Phase::kAfterCrash, 12, 4088, 4088}};  // the extension ended inside the gap
  for (auto& v : run.views) {
    if (v.phase != Phase::kAfterCrash) continue;
    std::fill(v.bytes.begin() + 4088, v.bytes.end(), 0xee);
  }
  auto v = Judge(run);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v.summary;
  run.views.back().bytes[4087] = 1;  // the raw device, inside the file
  v = Judge(run);
  EXPECT_EQ(v.outcome, Outcome::kFail);
  ASSERT_EQ(v.Failing().size(), 1u);
  EXPECT_EQ(v.Failing()[0]->finding.gap, (ByteRange{4080, 4088}));
}

TEST(Judge, LostExtensionIsAllowedOnlyWithoutALogFlush) {
  CaseRun run = CleanRun();
  run.sizes[0].observed = 4080;
  for (auto& v : run.views)
    if (v.phase == Phase::kAfterCrash) v.bytes = engine::SentinelBlock(4096);
  run.durable_size_at_crash = 4080;
  auto v = Judge(run);
  EXPECT_EQ(v.outcome, Outcome::kSkip) << v.summary;
  EXPECT_NE(v.summary.find("did not survive the crash"), std::string::npos);
  run.views[0].bytes = engine::SentinelBlock(4096);  // but the page cache was not zeroed
  EXPECT_EQ(Judge(run).outcome, Outcome::kFail);
  run = CleanRun();
  run.durable_size_at_crash = 4080;
  run.sizes[0].observed = 5000;  // neither the durable nor the new size
  EXPECT_EQ(Judge(run).outcome, Outcome::kFail);
  run.durable_size_at_crash = 8192;  // the extension was made durable before the crash
  run.sizes[0].observed = 4080;
  EXPECT_EQ(Judge(run).outcome, Outcome::kFail) << "a durable size that was lost is a finding";
}

TEST(Judge, ALostExtensionThatLeavesGapBytesInTheFileIsStillJudged) {
  CaseRun run = CleanRun();
  run.durable_size_at_crash = 4088;  // 8 bytes appended and fsynced, the rest lost
  run.sizes[0].observed = 4088;
  auto v = Judge(run);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v.summary;
  EXPECT_NE(v.summary.find("last durable size"), std::string::npos) << v.summary;
  run.views.back().bytes[4085] = 0x42;
  EXPECT_EQ(Judge(run).outcome, Outcome::kFail);
}

TEST(Judge, APassNamesTheAfterCrashOraclesThatExaminedNothing) {
  CaseRun run = CleanRun();
  auto v = Judge(run);
  EXPECT_NE(v.summary.find("not examined after the crash: offline"), std::string::npos)
      << v.summary;  // CleanRun has no offline view
}

TEST(Judge, WrongSizeBeforeTheCrashIsFailToo) {
  CaseRun run = CleanRun();
  run.sizes.insert(run.sizes.begin(), {Phase::kBeforeCrash, 7, 8192, 4096});
  auto v = Judge(run);
  EXPECT_EQ(v.outcome, Outcome::kFail);
  ASSERT_TRUE(v.wrong_size);
  EXPECT_EQ(v.wrong_size->line, 7);
}

TEST(Judge, NoSizeCheckAfterTheCrashIsError) {
  CaseRun run = CleanRun();
  run.sizes[0].phase = Phase::kBeforeCrash;
  EXPECT_EQ(Judge(run).outcome, Outcome::kError);
}

TEST(Judge, WhereTheCaseWroteItsDataOrZerosAreExpected) {
  CaseRun run = CleanRun();
  for (auto& v : run.views) {
    std::fill(v.bytes.begin() + 4080, v.bytes.begin() + 4088, 0x42);
    v.written = {{{4080, 4088}, Bytes(8, 0x42)}};
  }
  EXPECT_EQ(Judge(run).outcome, Outcome::kPass);
  run.views[1].bytes[4090] = 0x42;  // outside what the case wrote: stale
  EXPECT_EQ(Judge(run).outcome, Outcome::kFail);
  run.views[1].bytes[4090] = 0;
  run.views[2].written.clear();  // and the written bytes are judged when not declared
  EXPECT_EQ(Judge(run).outcome, Outcome::kFail);
  run = CleanRun();
  run.views.back().written = {{{4080, 4088}, Bytes(8, 0x42)}};
  run.views.back().bytes[4081] = 0;  // the data lost in the crash, zeros instead: fine
  EXPECT_EQ(Judge(run).outcome, Outcome::kPass);
  const Bytes sentinel = engine::SentinelBlock(4096);
  run.views.back().bytes[4081] = sentinel[4081];  // lost data, stale bytes instead: a finding
  EXPECT_EQ(Judge(run).outcome, Outcome::kFail);
}

TEST(Judge, AfterTheCrashEachViewIsLimitedByTheSizeWhenItWasTaken) {
  CaseRun run = CleanRun();
  for (auto& v : run.views)
    if (v.phase == Phase::kAfterCrash) v.file_size = 4084;  // a later step grew the file
  run.views.back().bytes[4086] = 1;                          // past EOF when read
  EXPECT_EQ(Judge(run).outcome, Outcome::kPass);
  run.views.back().bytes[4082] = 1;
  EXPECT_EQ(Judge(run).outcome, Outcome::kFail);
}

TEST(Judge, EofInALaterBlockIsJudgedRelativeToThatBlock) {
  CaseRun run = CleanRun();
  run.eof_block = 3 * 4096;
  run.old_eof = 3 * 4096 + 4080;
  run.sizes = {{Phase::kAfterCrash, 12, 5 * 4096, 5 * 4096}};
  EXPECT_EQ(Judge(run).outcome, Outcome::kPass);
  run.sizes[0].observed = run.sizes[0].expected = 3 * 4096 + 4088;
  run.views.back().bytes[4090] = 1;  // past the new EOF after the crash: not judged
  EXPECT_EQ(Judge(run).outcome, Outcome::kPass);
  run.views.back().bytes[4085] = 1;
  EXPECT_EQ(Judge(run).outcome, Outcome::kFail);
}

engine::FsckObservation Recorded(fsdriver::FsType tool, const std::string& fixture) {
  engine::FsckObservation f;
  f.fs = tool;
  f.run = testing::LoadRecorded("fsck/" + fixture);
  return f;
}

TEST(Judge, FsckFindingCorruptionAfterTheCrashIsFail) {
  CaseRun run = CleanRun();
  run.fsck = {Recorded(fsdriver::FsType::kExt4, "e2fsck_clean.txt")};
  auto v = Judge(run);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v.summary;
  EXPECT_NE(v.summary.find("e2fsck clean"), std::string::npos) << v.summary;
  run.fsck = {Recorded(fsdriver::FsType::kXfs, "xfs_repair_corrupt.txt")};
  v = Judge(run);
  EXPECT_EQ(v.outcome, Outcome::kFail);
  EXPECT_TRUE(v.FsckFoundCorruption());
  EXPECT_NE(v.summary.find("fsck found corruption"), std::string::npos) << v.summary;
}

TEST(Judge, AnUnreplayedJournalOrAMissingFsckIsNotAFinding) {
  CaseRun run = CleanRun();
  run.fsck = {Recorded(fsdriver::FsType::kXfs, "xfs_repair_dirty_log.txt")};
  EXPECT_EQ(Judge(run).outcome, Outcome::kPass);
  run.fsck[0].run.reset();
  run.fsck[0].not_run = os::Error{os::ErrorKind::kUnsupported, 0, "xfs_repair not found"};
  EXPECT_EQ(Judge(run).outcome, Outcome::kPass);
}

TEST(Judge, AnFsckThatCouldNotCheckIsAnErrorNotAPass) {
  CaseRun run = CleanRun();
  run.fsck = {Recorded(fsdriver::FsType::kExt4, "e2fsck_mounted.txt")};
  auto v = Judge(run);
  EXPECT_EQ(v.outcome, Outcome::kError) << v.summary;
  EXPECT_NE(v.summary.find("could not check"), std::string::npos) << v.summary;
}

TEST(Judge, DisagreeingViewsAreNeverAPass) {
  CaseRun run = CleanRun();
  run.disagreements = {"FIEMAP maps the EOF block to device offset 40960; xfs_db maps it to 45056"};
  auto v = Judge(run);
  EXPECT_EQ(v.outcome, Outcome::kError);
  EXPECT_NE(v.summary.find("45056"), std::string::npos);
  run.views[0].bytes = engine::SentinelBlock(4096);  // a failure still reads as one
  EXPECT_EQ(Judge(run).outcome, Outcome::kFail);
}

TEST(Judge, NoVerifiedPlantIsErrorNeverPass) {
  CaseRun run = CleanRun();
  run.plant.reset();
  EXPECT_EQ(Judge(run).outcome, Outcome::kError);
  run = CleanRun();
  run.plant->verified = false;
  EXPECT_EQ(Judge(run).outcome, Outcome::kError);
}

TEST(Judge, NoOracleLookingAfterTheCrashIsError) {
  CaseRun run = CleanRun();
  std::erase_if(run.views, [](const BlockView& v) { return v.phase == Phase::kAfterCrash; });
  EXPECT_EQ(Judge(run).outcome, Outcome::kError);
  run = CleanRun();
  for (auto& v : run.views) v.bytes.resize(4080);  // every view blind to the gap
  EXPECT_EQ(Judge(run).outcome, Outcome::kError);
}

TEST(Judge, BlindViewsAreLeftOutNotCountedAsClean) {
  CaseRun run = CleanRun();
  run.views[0].bytes.resize(4080);
  auto v = Judge(run);
  EXPECT_EQ(v.outcome, Outcome::kPass);
  EXPECT_EQ(v.oracles.size(), run.views.size() - 1);
}

TEST(Judge, SkipAndErrorRunsKeepTheirReason) {
  CaseRun run;
  run.status = RunStatus::kSkipped;
  run.reason = "fallocate: Operation not supported";
  auto v = Judge(run);
  EXPECT_EQ(v.outcome, Outcome::kSkip);
  EXPECT_EQ(v.summary, run.reason);
  run.status = RunStatus::kError;
  run.reason = "plant not verified";
  EXPECT_EQ(Judge(run).outcome, Outcome::kError);
}

}  // namespace
}  // namespace eofzero::oracles

namespace eofzero::oracles {
namespace {

// The ext4 1 KiB finding's shape: fsck through the device complains, on the
// image it is clean.
engine::DiskViews CacheOnlyCorruption() {
  engine::DiskViews views;
  views.kernel.source = "/dev/loop7";
  views.kernel.fsck = Recorded(fsdriver::FsType::kExt4, "e2fsck_corrupt.txt");
  engine::DiskView disk;
  disk.source = "/tmp/x/ext4.img";
  disk.fsck = Recorded(fsdriver::FsType::kExt4, "e2fsck_clean.txt");
  views.disk = disk;
  return views;
}

// 0x5a written below the old EOF and made durable, a truncate to 8192, a
// crash: the history the crash model judges CleanRun's bytes by.
engine::History Truncated() {
  using engine::Event;
  engine::History h;
  h.events.push_back({.kind = Event::Kind::kWrite, .what = "pwrite",
                      .content = {0, 4080, 0x5a, {}}, .size_before = 0, .size_after = 4080});
  h.events.push_back({.kind = Event::Kind::kPromise, .what = "fsync", .end = 4080,
                      .size_before = 4080, .size_after = 4080});
  h.events.push_back(
      {.kind = Event::Kind::kResize, .what = "truncate", .size_before = 4080, .size_after = 8192});
  h.events.push_back(
      {.kind = Event::Kind::kCrash, .what = "shutdown", .size_before = 8192, .size_after = 8192});
  return h;
}

// The sentinel in the gap as the direct-read oracle saw it, and the crash
// model's read-back of [0, 8192) through O_DIRECT with `extra` more stale
// bytes past the EOF block.
CaseRun StaleAfterCrash(std::size_t extra) {
  CaseRun run = CleanRun();
  run.history = Truncated();
  Bytes stale = Clean();
  std::copy_n(engine::SentinelBlock(4096).begin() + 4080, 16, stale.begin() + 4080);
  for (auto& view : run.views)
    if (view.oracle == Oracle::kDirectRead) view.bytes = stale;
  Bytes file = stale;
  file.resize(8192, 0);
  std::fill_n(file.begin() + 4096, extra, 0x45);
  run.file_views.push_back({Oracle::kDirectRead, Phase::kAfterCrash, 0, file, 8192, 4});
  return run;
}

// A break the read-back finds exactly as an oracle did is said once; one it
// finds otherwise is labelled as the read-back's, with the offsets it read.
TEST(Judge, TheReadBackRepeatsNoBreakAnOracleAlreadyGave) {
  auto same = Judge(StaleAfterCrash(0));
  EXPECT_EQ(same.outcome, Outcome::kFail) << same.summary;
  ASSERT_EQ(same.invariants.size(), 1u);
  EXPECT_EQ(same.invariants[0].oracle, Oracle::kDirectRead);
  EXPECT_FALSE(same.invariants[0].read_back);

  auto more = Judge(StaleAfterCrash(4));
  ASSERT_EQ(more.invariants.size(), 2u);
  EXPECT_FALSE(more.invariants[0].read_back);
  ASSERT_TRUE(more.invariants[1].read_back);
  EXPECT_EQ(*more.invariants[1].read_back, (ByteRange{0, 8192}));
  EXPECT_EQ(more.invariants[1].count, 20u);
}

TEST(Judge, TheCacheDisagreeingWithTheDiskIsAFailOfItsOwnKind) {
  CaseRun run = CleanRun();
  run.disk_views = CacheOnlyCorruption();
  run.fsck = {run.disk_views->kernel.fsck};
  auto v = Judge(run);
  EXPECT_EQ(v.outcome, Outcome::kFail) << v.summary;
  ASSERT_TRUE(v.views);
  EXPECT_NE(v.summary.find(kCacheDisagrees), std::string::npos) << v.summary;
  // The corruption is the cache's: not reported as the disk's.
  EXPECT_TRUE(v.FsckFoundCorruption());
  EXPECT_FALSE(v.FsckFoundCorruptionOnDisk());
  EXPECT_EQ(v.summary.find("fsck found corruption"), std::string::npos) << v.summary;
}

TEST(Judge, ViewsThatAgreeChangeNothing) {
  CaseRun run = CleanRun();
  run.disk_views = CacheOnlyCorruption();
  run.disk_views->kernel.fsck = run.disk_views->disk->fsck;
  auto v = Judge(run);
  EXPECT_EQ(v.outcome, Outcome::kPass) << v.summary;
  EXPECT_FALSE(v.views);
}

}  // namespace
}  // namespace eofzero::oracles
