#include "suite/matrix_merge.h"

#include <gtest/gtest.h>

#include "matrix_samples.h"
#include "report/json_report.h"
#include "report/standing.h"
#include "temp_dir.h"

namespace eofzero::suite {
namespace {

using samples::Case;
using samples::Job;

using oracles::Outcome;

TEST(MergeWorker, FoldsTheWorkersConfigurationsIntoOneAndMarksExpectedFailures) {
  report::RunRecord worker;
  report::ConfigRecord one_k, four_k;
  one_k.config = {"ext4", 1024, "mkfs 1k", "nodelalloc", "/dev/loop1", "ext4-nodelalloc"};
  one_k.cases = {Case("truncate_up_1k", Outcome::kPass)};
  four_k.config = {"ext4", 4096, "mkfs 4k", "nodelalloc", "/dev/loop1", "ext4-nodelalloc"};
  four_k.cases = {Case("append_write", Outcome::kFail), Case("truncate_up", Outcome::kPass)};
  worker.configs = {one_k, four_k};
  auto merged = MergeWorker(Job(), &worker, "unused");
  EXPECT_EQ(merged.config.name, "ext4-nodelalloc");
  EXPECT_EQ(merged.config.mkfs_command, "mkfs 4k") << "the configuration's own block size";
  ASSERT_EQ(merged.cases.size(), 3u);
  EXPECT_EQ(report::StandingOf(merged.cases[1]), report::Standing::kExpectedFail);
  EXPECT_FALSE(merged.cases[2].expected_failure);
}

TEST(MergeWorker, EveryPlannedCaseTheWorkerDidNotReportIsAnError) {
  report::RunRecord worker;
  report::ConfigRecord partial;
  partial.config = {"ext4", 4096, "mkfs", "", "/dev/loop1", "ext4-nodelalloc"};
  partial.cases = {Case("truncate_up", Outcome::kPass)};
  worker.configs = {partial};
  auto merged = MergeWorker(Job(), &worker, "the worker was killed by signal 9");
  ASSERT_EQ(merged.cases.size(), 3u);
  for (const auto& r : merged.cases) {
    if (r.case_name == "truncate_up") continue;
    EXPECT_EQ(r.outcome, Outcome::kError) << r.case_name;
    EXPECT_EQ(r.summary, "not run: the worker was killed by signal 9");
    EXPECT_TRUE(r.not_run) << r.case_name;
  }
  auto none = MergeWorker(Job(), nullptr, "spawn failed");
  EXPECT_EQ(none.cases.size(), 3u);
  EXPECT_EQ(report::StandingOf(none.cases[0]), report::Standing::kError)
      << "an expected failure that did not run is still an error";
}

TEST(ReadWorkerReport, SaysWhyAWorkerLeftNoUsableReport) {
  eofzero::testing::TempDir dir;
  EXPECT_EQ(ReadWorkerReport(dir.path() / "none.json").error(), "it wrote no report");
  EXPECT_EQ(ReadWorkerReport(dir.Write("cut.json", "{\"tool\": \"eofz")).error(),
            "its report is not JSON");
  EXPECT_EQ(ReadWorkerReport(dir.Write("other.json", "[]")).error(),
            "its report: not an eofzero JSON report");
  report::RunRecord record;
  record.kernel = "6.18.0 x86_64";
  auto read = ReadWorkerReport(dir.Write("ok.json", report::ToJson(record).dump()));
  ASSERT_TRUE(read) << read.error();
  EXPECT_EQ(read->kernel, "6.18.0 x86_64");
}

TEST(LogTail, TheLastLinesJoined) {
  eofzero::testing::TempDir dir;
  auto log = dir.Write("w.log", "one\ntwo\nthree\nfour\n");
  EXPECT_EQ(LogTail(log, 3), "two | three | four");
  EXPECT_EQ(LogTail(log, 10), "one | two | three | four");
  EXPECT_EQ(LogTail(dir.path() / "none.log", 3), "");
}

}  // namespace
}  // namespace eofzero::suite
