// What `explore -j N`'s parent makes of its workers' runs (no root: every
// run passed, so nothing is run or reduced here).
#include "suite/explore_run.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "temp_dir.h"

namespace eofzero::suite {
namespace {

struct Planned {
  RunOptions run;
  ExploreOptions options;
  std::vector<LoggedRun> runs;  // every planned run, passed, in the plan's order
};

Planned Plan() {
  Planned p;
  p.run.filesystems = {fsdriver::FsType::kExt4};
  p.run.block_size = 4096;
  p.run.scenario.gap_bytes = 16;
  p.options.bounds.ops = {explore::Op::kPwrite, explore::Op::kTruncate};
  p.options.bounds.offsets = {explore::Offset::kEof, explore::Offset::kNextBlock};
  p.options.bounds.lengths = {explore::Length::k1};
  p.options.bounds.persists = {explore::Persist::kNone};
  p.options.crashes = {explore::CrashMode::kFreeze, explore::CrashMode::kLogflush,
                       explore::CrashMode::kNologflush};
  p.options.confirm = 0;
  const auto g = GeometryFor(fsdriver::FsType::kExt4, 4096, 16);
  explore::Space space(BoundsFor(p.options.bounds, g), g);
  for (const auto& r : PlanRuns(p.options, space)) {
    LoggedRun logged;
    logged.config = "ext4/4k";
    logged.case_name = explore::RunName(r, g);
    logged.workload = explore::Describe(r.workload);
    logged.crash = explore::NameOf(r.crash);
    p.runs.push_back(logged);
  }
  return p;
}

std::string Lines(const std::vector<LoggedRun>& runs) {
  std::string text;
  for (const auto& r : runs) text += ResultsLine(r).dump() + "\n";
  return text;
}

std::string Read(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

ExploreConfigRow Row(const std::string& mkfs, double seconds) {
  ExploreConfigRow row;
  row.config = "ext4/4k";
  row.mkfs_command = mkfs;
  row.counts.run_seconds = seconds;
  return row;
}

TEST(ExploreRun, TheWorkersRowsGiveEachConfigurationItsMkfsCommandAndTheirSecondsSummed) {
  Planned p = Plan();
  ASSERT_GE(p.runs.size(), 3u);
  testing::TempDir dir;
  p.options.results_file = dir.path() / "results.jsonl";
  std::vector<WorkerResults> workers(2);
  const std::size_t half = p.runs.size() / 2;
  workers[0].runs.assign(p.runs.begin(), p.runs.begin() + half);
  workers[1].runs.assign(p.runs.begin() + half, p.runs.end());
  workers[0].configs = {Row("", 0.25)};  // a worker that made no filesystem says none
  workers[1].configs = {Row("mkfs.ext4 -b 4096 /dev/loop9", 1.5)};
  std::ostringstream out;
  const ExploreResult result = RunExploration(p.run, p.options, {}, out, workers);
  ASSERT_EQ(result.configs.size(), 1u) << out.str();
  EXPECT_EQ(result.configs[0].mkfs_command, "mkfs.ext4 -b 4096 /dev/loop9");
  EXPECT_DOUBLE_EQ(result.configs[0].counts.run_seconds, 1.75);
  EXPECT_EQ(result.configs[0].counts.runs, p.runs.size());
  EXPECT_EQ(result.configs[0].counts.passed, p.runs.size());
  EXPECT_EQ(Read(p.options.results_file), Lines(p.runs));
}

// Resumed: the runs the results file has are counted, the workers' are
// appended after them, and a run of the rest no worker wrote is an ERROR of
// the worker whose slice of the rest it was.
TEST(ExploreRun, ResumedTheFilesRunsCountTheWorkersAreAppendedAndTheRestAreNotRun) {
  Planned p = Plan();
  ASSERT_GE(p.runs.size(), 5u);
  testing::TempDir dir;
  p.options.results_file = dir.path() / "results.jsonl";
  p.options.resume = true;
  // Runs 0 and 2 were done, and a line cut short.
  std::ofstream(p.options.results_file)
      << Lines({p.runs[0], p.runs[2]}) << "{\"config\":\"ext4/4k\",\"ca";
  std::vector<LoggedRun> left = {p.runs[1]};
  left.insert(left.end(), p.runs.begin() + 3, p.runs.end());
  // Worker 1 (the first half of the rest) wrote its first run only.
  std::vector<WorkerResults> workers(2);
  const std::size_t half = (left.size() + 1) / 2;
  workers[0].runs = {left[0]};
  workers[0].why = "the worker was killed";
  workers[1].runs.assign(left.begin() + half, left.end());
  std::ostringstream out;
  const ExploreResult result = RunExploration(p.run, p.options, {}, out, workers);
  EXPECT_EQ(result.totals.runs, p.runs.size()) << out.str();
  EXPECT_EQ(result.totals.errors, half - 1);
  EXPECT_EQ(result.totals.passed, p.runs.size() - (half - 1));
  std::vector<LoggedRun> file = {p.runs[0], p.runs[2], left[0]};
  file.insert(file.end(), left.begin() + half, left.end());
  EXPECT_EQ(Read(p.options.results_file), Lines(file));
  EXPECT_NE(out.str().find("not run: the worker was killed"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("ext4/4k: 2 of " + std::to_string(p.runs.size()) + " runs already in"),
            std::string::npos)
      << out.str();
}

}  // namespace
}  // namespace eofzero::suite
