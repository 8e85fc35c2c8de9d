#include "suite/matrix_plan.h"

#include <gtest/gtest.h>

#include "matrix_samples.h"

namespace eofzero::suite {
namespace {

using samples::Job;

TEST(WorkerArgs, RunsTheConfigurationAsAJsonWorkerAndLeavesOutEmptyOptions) {
  RunOptions options;
  options.cases_dirs = {"/my/cases"};
  auto args = WorkerArgs(Job(), options, "/var/tmp/m", "/var/tmp/m/ext4-nodelalloc.json");
  EXPECT_EQ(args,
            (std::vector<std::string>{
                "run", "--worker", "--config-name=ext4-nodelalloc", "--fs=ext4",
                "--block-size=4096", "--case=append_write,truncate_up,truncate_up_1k",
                "--workdir=/var/tmp/m", "--format=json", "--output=/var/tmp/m/ext4-nodelalloc.json",
                "-v", "--mount-options=nodelalloc", "--cases-dir=/my/cases"}));
}

}  // namespace
}  // namespace eofzero::suite
