// A disagreement between the two views of the disk, in every report format.
#include "report/views_evidence.h"

#include <gtest/gtest.h>

#include "recorded_output.h"
#include "report/human_reporter.h"
#include "report/json_report.h"
#include "report/junit_report.h"
#include "report/record.h"
#include "report/table.h"
#include "sample_runs.h"

namespace eofzero::report {
namespace {

ConfigInfo Config() {
  return {"ext4", 1024, "mkfs.ext4 -F -q -b 1024 -U U -E nodiscard /dev/loop7", "", "/dev/loop7"};
}

engine::FsckObservation E2fsck(const std::string& fixture) {
  engine::FsckObservation f;
  f.fs = fsdriver::FsType::kExt4;
  f.run = testing::LoadRecorded("fsck/" + fixture);
  return f;
}

os::ProcessResult Dump(const std::string& free_blocks) {
  os::ProcessResult r;
  r.argv = {"dumpe2fs", "x"};
  r.out = "Group 3: (Blocks 24577-32768) [ITABLE_ZEROED]\n  " + free_blocks +
          " free blocks, 2048 free inodes\n";
  return r;
}

// A passing run but for its two views: fsck and the group descriptors differ.
engine::CaseRun Disagreeing() {
  engine::CaseRun run = sample::PassedRun("append_write_1k_nologflush");
  engine::DiskViews views;
  views.kernel.source = "/dev/loop7";
  views.kernel.how = "the block device read through its page cache";
  views.kernel.fsck = E2fsck("e2fsck_corrupt.txt");
  views.kernel.metadata = Dump("7000");
  engine::DiskView disk;
  disk.source = "/tmp/w/ext4.img";
  disk.how = "the image file under the loop device, read directly";
  disk.fsck = E2fsck("e2fsck_clean.txt");
  disk.metadata = Dump("7001");
  views.disk = disk;
  run.disk_views = views;
  run.fsck = {views.kernel.fsck};
  return run;
}

TEST(ViewsEvidence, BothViewsBothFsckRunsAndTheDifferingLines) {
  auto run = Disagreeing();
  auto verdict = oracles::Judge(run);
  ASSERT_EQ(verdict.outcome, oracles::Outcome::kFail) << verdict.summary;
  const std::string text = RenderEvidence(Config(), run, verdict);
  for (const char* want :
       {"the block device's cache disagrees with the disk after recovery:",
        "the kernel's view: /dev/loop7, the block device read through its page cache",
        "the disk's view: /tmp/w/ext4.img, the image file under the loop device",
        "differs: e2fsck: corrupt through the block device's cache, clean on the disk",
        "fsck, the kernel's view: e2fsck -fn", "fsck, the disk's view: e2fsck -fn",
        "dumpe2fs, the lines that differ (- the kernel's view, + the disk's):",
        "      Group 3: (Blocks 24577-32768)", "      -   7000 free blocks",
        "      +   7001 free blocks"})
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  // fsck's output appears under the views, not a second time on its own.
  EXPECT_EQ(text.find("    fsck: "), std::string::npos) << text;
}

TEST(ViewsEvidence, InEveryFormat) {
  auto run = Disagreeing();
  auto verdict = oracles::Judge(run);
  RecordingReporter rec;
  rec.RunStarted("6.1.0-test");
  rec.ConfigReady(Config());
  rec.CaseDone(Config(), CaseResult(Config(), run, verdict));
  rec.Finish(1);
  const RunRecord& record = rec.record();
  const CaseRecord& r = record.configs.at(0).cases.at(0);
  EXPECT_EQ(r.findings, std::vector<std::string>{"views"});  // not "fsck": the disk is clean
  const std::string cause(oracles::kCacheDisagrees);
  EXPECT_NE(r.summary.find(cause), std::string::npos) << r.summary;

  const auto json = ToJson(record);
  const auto& c = json["configurations"][0]["cases"][0];
  EXPECT_EQ(c["verdict"], "FAIL");
  EXPECT_EQ(c["findings"], nlohmann::ordered_json::array({"views"}));
  EXPECT_EQ(c["disk_views"]["agree"], false);
  EXPECT_EQ(c["disk_views"]["kernel"]["fsck"]["verdict"], "corrupt");
  EXPECT_EQ(c["disk_views"]["disk"]["fsck"]["verdict"], "clean");
  EXPECT_EQ(c["disk_views"]["disk"]["source"], "/tmp/w/ext4.img");
  EXPECT_EQ(c["disk_views"]["metadata_diff"].size(), 3u);
  auto back = RunRecordFromJson(nlohmann::ordered_json::parse(json.dump()));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->configs[0].cases[0].detail["disk_views"], c["disk_views"]);

  const std::string junit = RenderJunit(record);
  EXPECT_NE(junit.find("<failure message=\"the block device"), std::string::npos) << junit;
  EXPECT_NE(junit.find("+   7001 free blocks"), std::string::npos) << junit;
  const std::string markdown = RenderTable(record, TableStyle::kMarkdown);
  EXPECT_NE(markdown.find(cause), std::string::npos) << markdown;
}

TEST(ViewsEvidence, AgreeingViewsAreInTheJsonDetailOnly) {
  auto run = sample::PassedRun("append_write");
  engine::DiskViews views;
  views.kernel.source = "/dev/loop7";
  views.kernel.fsck = E2fsck("e2fsck_clean.txt");
  views.disk = views.kernel;
  views.disk->source = "/tmp/w/ext4.img";
  run.disk_views = views;
  auto verdict = oracles::Judge(run);
  EXPECT_EQ(verdict.outcome, oracles::Outcome::kPass) << verdict.summary;
  const auto detail = CaseDetail(run, verdict);
  EXPECT_EQ(detail["disk_views"]["agree"], true);
  EXPECT_TRUE(detail["disk_views"]["differences"].empty());
}

}  // namespace
}  // namespace eofzero::report
