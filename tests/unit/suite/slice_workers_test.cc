#include "suite/slice_workers.h"

#include <gtest/gtest.h>

namespace eofzero::suite {
namespace {

using Strings = std::vector<std::string>;

TEST(SliceWorkers, EachWorkerIsTheCommandLineLessWhatItDropsThenItsSliceAndOwnOptions) {
  SliceSplit split;
  split.command = "sweep";
  split.drop_with_value = {"--out"};
  split.drop_flags = {"--again"};
  split.own = [](std::size_t k) { return Strings{"--file=f" + std::to_string(k)}; };
  split.log = [](std::size_t k) { return std::filesystem::path("log" + std::to_string(k)); };
  const Strings args = {"sweep", "--out", "x", "--again", "--out=y", "--outer", "z", "-j", "2"};
  EXPECT_EQ(SliceWorkerArgs(args, 1, 2, split),
            (Strings{"sweep", "--outer", "z", "-j", "2", "--worker-slice=1/2", "--file=f1"}));
  const auto commands = SliceWorkerCommands("/bin/eofzero", args, 2, split);
  ASSERT_EQ(commands.size(), 2u);
  EXPECT_EQ(commands[1].argv, (Strings{"/bin/eofzero", "sweep", "--outer", "z", "-j", "2",
                                       "--worker-slice=2/2", "--file=f2"}));
  EXPECT_EQ(commands[1].log, "log2");
}

}  // namespace
}  // namespace eofzero::suite
