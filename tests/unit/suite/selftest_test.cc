#include "suite/selftest.h"

#include <gtest/gtest.h>

#include <csignal>

#include "engine/sentinel.h"
#include "suite/fake_scratch.h"

namespace eofzero::suite {
namespace {

using engine::Oracle;
using engine::Phase;
using testing::FakeScratch;
using Lines = std::vector<std::string>;

// Every event as a line; the table as it was handed over.
class EventLog : public report::SelftestReporter {
 public:
  Lines lines;
  std::optional<report::SelftestTable> table;
  void RunFailed(const std::string& error) override { lines.push_back("run failed: " + error); }
  void SetupFailed(const std::string& column, const std::string& error) override {
    lines.push_back(column + ": setup failed: " + error);
  }
  void ControlDone(const std::string& column, const std::string& control,
                   const oracles::Verdict& verdict) override {
    lines.push_back(column + ": " + control + ": " + oracles::OutcomeName(verdict.outcome));
  }
  void BaselineFailed(const std::string& column, const std::string& baseline) override {
    lines.push_back(column + ": " + baseline + " failed");
  }
  void Finish(const report::SelftestTable& t) override { table = t; }

  // The cells of one row ("mmap (after crash)").
  std::vector<std::string> Row(const std::string& label) const {
    for (const auto& row : table->rows)
      if (row.label == label) return row.cells;
    return {"no such row"};
  }
};

// truncate_up's history as the crash model sees it: the plant's sentinel
// below the old EOF (4080) made durable, the truncate to 8192, the crash.
engine::History TruncateUpHistory() {
  using engine::Event;
  engine::History h;
  Bytes below = engine::SentinelBlock(4096);
  below.resize(4080);
  h.events.push_back({.kind = Event::Kind::kWrite, .what = "the plant",
                      .content = {0, 4080, 0, below}, .size_before = 0, .size_after = 4080});
  h.events.push_back({.kind = Event::Kind::kPromise, .what = "the plant", .end = 4080,
                      .size_before = 4080, .size_after = 4080});
  h.events.push_back(
      {.kind = Event::Kind::kResize, .what = "truncate", .size_before = 4080, .size_after = 8192});
  h.events.push_back(
      {.kind = Event::Kind::kCrash, .what = "logflush", .size_before = 8192, .size_after = 8192});
  return h;
}

// A passing run in which the given oracles saw the sentinel in the gap.
engine::CaseRun Seen(std::vector<std::pair<Oracle, Phase>> dirty) {
  auto run = report::sample::PassedRun("probe");
  run.history = TruncateUpHistory();
  for (auto [oracle, phase] : dirty) {
    engine::BlockView view;
    view.oracle = oracle;
    view.phase = phase;
    view.bytes = engine::SentinelBlock(4096);
    view.gap = {4080, 4096};
    run.views.push_back(view);
  }
  return run;
}

// Views whose metadata counters differ: the cache holds one block less free.
engine::DiskViews CacheDisagreeingWithDisk() {
  engine::DiskViews views;
  views.kernel.source = "/dev/loop9";
  views.kernel.metadata = os::ProcessResult{};
  views.kernel.metadata->argv = {"debugfs"};
  views.kernel.metadata->out = "Free blocks: 99\n";
  engine::DiskView disk = views.kernel;
  disk.metadata->out = "Free blocks: 100\n";
  views.disk = disk;
  return views;
}

// A fake on which every control shows what it is meant to, but `blind`.
FakeScratch Detecting(std::optional<Oracle> blind = std::nullopt) {
  FakeScratch scratch;
  std::vector<std::pair<Oracle, Phase>> after;
  for (Oracle o : {Oracle::kDirectRead, Oracle::kMmap, Oracle::kBufferedRead, Oracle::kRawDevice,
                   Oracle::kOffline})
    if (o != blind) after.push_back({o, Phase::kAfterCrash});
  scratch.runs["truncate_up_stale_after_crash"] = [after](const engine::ScenarioOptions& o) {
    EXPECT_EQ(o.faults, std::vector{engine::Fault::kStaleAfterCrash})
        << "the control's fault reaches the case";
    return Seen(after);
  };
  scratch.runs["truncate_up_stale_in_cache"] = [](const engine::ScenarioOptions&) {
    return Seen(
        {{Oracle::kBufferedRead, Phase::kBeforeCrash}, {Oracle::kMmap, Phase::kBeforeCrash}});
  };
  scratch.runs["truncate_up_wrong_size"] = [](const engine::ScenarioOptions&) {
    auto run = Seen({});
    run.sizes[0].observed = 8193;
    return run;
  };
  scratch.runs["truncate_up_stat_lies"] = [](const engine::ScenarioOptions& o) {
    EXPECT_EQ(o.faults, std::vector{engine::Fault::kStatLiesAfterCrash});
    auto run = Seen({});
    run.sizes[0].observed = 8193;
    run.disagreements.push_back("xfs_db reads an on-disk size of 8192; stat said 8193");
    return run;
  };
  scratch.runs["truncate_up_lose_promised_data"] = [](const engine::ScenarioOptions& o) {
    EXPECT_EQ(o.faults, std::vector{engine::Fault::kLosePromisedDataAfterCrash});
    auto run = Seen({});
    engine::FileView zeros{Oracle::kBufferedRead, Phase::kAfterCrash, 0, Bytes(16, 0), 8192, 4};
    run.file_views.push_back(zeros);
    return run;
  };
  scratch.runs["truncate_up_corrupt_directory"] = [](const engine::ScenarioOptions&) {
    auto run = Seen({});
    os::ProcessResult e2fsck;
    e2fsck.argv = {"e2fsck", "-fn", "/dev/loop9"};
    e2fsck.exit_code = 4;
    run.fsck.push_back({fsdriver::FsType::kExt4, e2fsck, std::nullopt});
    return run;
  };
  scratch.runs["truncate_up_cache_only"] = [](const engine::ScenarioOptions& o) {
    EXPECT_EQ(o.faults, std::vector{engine::Fault::kCacheDisagreesWithDisk});
    auto run = Seen({});
    run.disk_views = CacheDisagreeingWithDisk();
    return run;
  };
  scratch.runs["race_dio_hole_lose_sector_write"] = [](const engine::ScenarioOptions& o) {
    EXPECT_EQ(o.faults, std::vector{engine::Fault::kLoseSectorWrite});
    auto run = Seen({});
    run.race_findings.push_back("line 9 race_dio iteration 0: read 0x00 where the case wrote");
    return run;
  };
  return scratch;
}

// A control's run that the case does not apply to, with `reason`.
std::function<engine::CaseRun(const engine::ScenarioOptions&)> SkippedRun(std::string reason) {
  return [reason](const engine::ScenarioOptions&) {
    engine::CaseRun run;
    run.status = engine::RunStatus::kSkipped;
    run.reason = reason;
    return run;
  };
}

SelftestResult Selftest(FakeScratch& scratch, EventLog& log, int signal = 0) {
  RunOptions options;
  options.filesystems = {fsdriver::FsType::kExt4, fsdriver::FsType::kXfs};
  engine::CaseSpec probe, race;
  probe.name = "truncate_up";
  race.name = "race_dio_hole";
  return RunSelftest(options, {probe, race}, scratch, log, [signal] { return signal; });
}

TEST(RunSelftest, EveryOracleSeesTheFaultMeantForIt) {
  auto scratch = Detecting();
  EventLog log;
  auto result = Selftest(scratch, log);
  EXPECT_TRUE(result.all_detected);
  EXPECT_FALSE(result.setup_failed);
  EXPECT_EQ(log.lines,
            (Lines{"ext4/4k: baseline: PASS", "ext4/4k: stale_after_crash: FAIL",
                   "ext4/4k: stale_in_cache: FAIL", "ext4/4k: wrong_size: FAIL",
                   "ext4/4k: stat_lies: FAIL", "ext4/4k: lose_promised_data: FAIL", "ext4/4k: race_baseline: PASS",
                   "ext4/4k: lose_sector_write: FAIL", "ext4/4k: cache_only: FAIL",
                   "ext4/4k: corrupt_directory: FAIL", "xfs/4k: baseline: PASS",
                   "xfs/4k: stale_after_crash: FAIL", "xfs/4k: stale_in_cache: FAIL",
                   "xfs/4k: wrong_size: FAIL", "xfs/4k: stat_lies: FAIL",
                   "xfs/4k: lose_promised_data: FAIL",
                   "xfs/4k: race_baseline: PASS", "xfs/4k: lose_sector_write: FAIL",
                   "xfs/4k: cache_only: FAIL", "xfs/4k: corrupt_directory: FAIL"}));
  ASSERT_TRUE(log.table);
  EXPECT_EQ(log.table->columns, (Lines{"ext4/4k", "xfs/4k"}));
  EXPECT_EQ(log.table->rows.size(), 15u);
  for (const auto& row : log.table->rows) EXPECT_EQ(row.cells, (Lines{"yes", "yes"})) << row.label;
  EXPECT_EQ(scratch.log[1], "make selftest-ext4");
  // What the JSON report says of each cell: its control, and why.
  EXPECT_EQ(log.table->rows[0].control, "stale_in_cache");
  EXPECT_EQ(log.table->rows[0].reasons.size(), 2u);
  EXPECT_EQ(log.table->column_info,
            (std::vector<report::SelftestTable::Column>{{"ext4", 4096, ""}, {"xfs", 4096, ""}}));
}

TEST(RunSelftest, AnOracleBlindToItsFaultIsNo) {
  auto scratch = Detecting(Oracle::kOffline);
  EventLog log;
  auto result = Selftest(scratch, log);
  EXPECT_FALSE(result.all_detected);
  EXPECT_FALSE(result.setup_failed);
  EXPECT_EQ(log.Row("offline (after crash)"), (Lines{"NO", "NO"}));
  EXPECT_EQ(log.Row("raw-device (after crash)"), (Lines{"yes", "yes"}));
}

TEST(RunSelftest, ViewsThatAgreeUnderTheCacheOnlyFaultAreNo) {
  auto scratch = Detecting();
  scratch.runs["truncate_up_cache_only"] = [](const engine::ScenarioOptions&) {
    auto run = Seen({});
    run.disk_views = CacheDisagreeingWithDisk();
    run.disk_views->disk->metadata = run.disk_views->kernel.metadata;
    return run;
  };
  EventLog log;
  EXPECT_FALSE(Selftest(scratch, log).all_detected);
  EXPECT_EQ(log.Row("two views (after crash)"), (Lines{"NO", "NO"}));
}

// A lying stat that only the size oracles notice (no view disagrees with it)
// leaves the disagreement row unproven, though the control is a FAIL.
TEST(RunSelftest, AStatLieNoViewDisagreesWithIsNo) {
  auto scratch = Detecting();
  scratch.runs["truncate_up_stat_lies"] = [](const engine::ScenarioOptions&) {
    auto run = Seen({});
    run.sizes[0].observed = 8193;
    return run;
  };
  EventLog log;
  EXPECT_FALSE(Selftest(scratch, log).all_detected);
  EXPECT_EQ(log.Row("disagreement (after crash)"), (Lines{"NO", "NO"}));
  EXPECT_EQ(log.Row("size (after crash)"), (Lines{"yes", "yes"}));
}

// The race control's own baseline: a race case that fails cleanly leaves
// only the race row unproven.
TEST(RunSelftest, WithoutACleanRaceBaselineTheRaceRowCannotShowDetection) {
  auto scratch = Detecting();
  scratch.runs["race_dio_hole_race_baseline"] = [](const engine::ScenarioOptions&) {
    return report::sample::FailedRun();
  };
  EventLog log;
  EXPECT_FALSE(Selftest(scratch, log).all_detected);
  EXPECT_EQ(log.Row("race (both phases)"), (Lines{"?", "?"}));
  EXPECT_EQ(log.Row("size (after crash)"), (Lines{"yes", "yes"}));
  EXPECT_NE(std::find(log.lines.begin(), log.lines.end(), "ext4/4k: race_baseline failed"),
            log.lines.end());
}

// A race baseline that does not apply (f2fs: O_DIRECT writes must fill a
// whole block, no two writers fit in one) makes the race row not apply:
// skip, with the baseline's reason, and the rest of the column counts.
TEST(RunSelftest, ARaceBaselineThatDoesNotApplyMakesTheRaceRowASkip) {
  auto scratch = Detecting();
  scratch.runs["race_dio_hole_race_baseline"] = SkippedRun("no two writers fit in one 4096-byte block");
  scratch.runs["race_dio_hole_lose_sector_write"] = SkippedRun("no two writers fit in one 4096-byte block");
  EventLog log;
  EXPECT_TRUE(Selftest(scratch, log).all_detected);
  EXPECT_EQ(log.Row("race (both phases)"), (Lines{"skip", "skip"}));
  EXPECT_EQ(log.Row("size (after crash)"), (Lines{"yes", "yes"}));
}

// A probe case that does not apply here (`--probe-case reflink_extend` on
// ext4: every control of it a SKIP) shows no row able to fail: each row it
// carries cannot show detection, and the column could not be set up; only
// the race case's baseline may not apply.
TEST(RunSelftest, AProbeCaseThatDoesNotApplyShowsNothingAndIsNoPass) {
  FakeScratch scratch;
  for (const char* control : {"baseline", "stale_after_crash", "stale_in_cache", "wrong_size",
                              "stat_lies", "lose_promised_data", "cache_only",
                              "corrupt_directory"})
    scratch.runs[std::string("truncate_up_") + control] =
        SkippedRun("FICLONERANGE: Operation not supported");
  scratch.runs["race_dio_hole_lose_sector_write"] = Detecting().runs["race_dio_hole_lose_sector_write"];
  EventLog log;
  auto result = Selftest(scratch, log);
  EXPECT_FALSE(result.all_detected);
  EXPECT_TRUE(result.setup_failed);
  EXPECT_EQ(log.Row("size (after crash)"), (Lines{"?", "?"}));
  EXPECT_EQ(log.Row("race (both phases)"), (Lines{"yes", "yes"}));
  EXPECT_NE(log.table->column_info[0].setup_error.find("the baseline does not apply here: "),
            std::string::npos)
      << log.table->column_info[0].setup_error;
}

// A filesystem this kernel lacks (f2fs on the host): its column is a skip
// that says why, nothing is made there, and the other column counts.
TEST(RunSelftest, AFilesystemTheKernelLacksIsAColumnOfSkipsAndNothingIsMade) {
  auto scratch = Detecting();
  scratch.lacking["xfs"] = "this kernel has no xfs";
  EventLog log;
  const auto result = Selftest(scratch, log);
  EXPECT_TRUE(result.all_detected);
  EXPECT_FALSE(result.setup_failed);
  EXPECT_EQ(log.Row("size (after crash)"), (Lines{"yes", "skip"}));
  EXPECT_EQ(log.Row("race (both phases)"), (Lines{"yes", "skip"}));
  for (const auto& line : scratch.log) EXPECT_EQ(line.find("xfs"), std::string::npos) << line;
}

TEST(RunSelftest, ARaceCheckBlindToTheLostSectorIsNo) {
  auto scratch = Detecting();
  scratch.runs.erase("race_dio_hole_lose_sector_write");  // a clean pass under the fault
  EventLog log;
  EXPECT_FALSE(Selftest(scratch, log).all_detected);
  EXPECT_EQ(log.Row("race (both phases)"), (Lines{"NO", "NO"}));
}

TEST(RunSelftest, WithoutACleanBaselineTheColumnCannotShowDetection) {
  auto scratch = Detecting();
  scratch.runs["truncate_up_baseline"] = [](const engine::ScenarioOptions&) {
    return report::sample::FailedRun();
  };
  EventLog log;
  auto result = Selftest(scratch, log);
  EXPECT_FALSE(result.all_detected);
  EXPECT_FALSE(result.setup_failed) << "a failing baseline is a finding, not a setup error";
  EXPECT_EQ(log.Row("size (after crash)"), (Lines{"?", "?"}));
  EXPECT_EQ(log.table->rows[0].reasons[0].find("the baseline did not pass: "), 0u)
      << log.table->rows[0].reasons[0];
  EXPECT_EQ(log.table->column_info[0].setup_error, "");
  EXPECT_NE(std::find(log.lines.begin(), log.lines.end(), "xfs/4k: baseline failed"),
            log.lines.end());
  scratch.runs["truncate_up_baseline"] = [](const engine::ScenarioOptions&) {
    return report::sample::MakeRun("truncate_up", engine::RunStatus::kError, "mount failed");
  };
  EventLog errored;
  EXPECT_TRUE(Selftest(scratch, errored).setup_failed);
  EXPECT_EQ(errored.table->column_info[0].setup_error.find("the baseline did not run: "), 0u)
      << errored.table->column_info[0].setup_error;
}

TEST(RunSelftest, AFilesystemThatCannotBeMadeIsAColumnOfQuestionMarks) {
  auto scratch = Detecting();
  scratch.make_errors["selftest-xfs"] = os::Error{os::ErrorKind::kSystem, 0, "mkfs.xfs exited 1"};
  EventLog log;
  auto result = Selftest(scratch, log);
  EXPECT_FALSE(result.all_detected);
  EXPECT_TRUE(result.setup_failed);
  EXPECT_EQ(log.lines.back(), "xfs/4k: setup failed: mkfs.xfs exited 1");
  EXPECT_EQ(log.Row("fsck (after crash)"), (Lines{"yes", "?"}));
  EXPECT_EQ(log.table->column_info[1].setup_error, "mkfs.xfs exited 1");
  EXPECT_EQ(log.table->rows[0].reasons[1], "mkfs.xfs exited 1");
}

TEST(RunSelftest, NoSpaceOrAnInterruptEndsItWithoutATable) {
  auto scratch = Detecting();
  scratch.open_error = os::Error{os::ErrorKind::kSystem, ENOSPC, "mkdtemp"};
  EventLog log;
  auto result = Selftest(scratch, log);
  EXPECT_TRUE(result.setup_failed);
  EXPECT_EQ(log.lines, (Lines{"run failed: " + scratch.open_error->Message()}));
  EXPECT_FALSE(log.table);
  auto interrupted = Detecting();
  EventLog log2;
  EXPECT_TRUE(Selftest(interrupted, log2, SIGINT).setup_failed);
  EXPECT_EQ(interrupted.log, (Lines{"open"}));
  EXPECT_FALSE(log2.table);
}

}  // namespace
}  // namespace eofzero::suite
