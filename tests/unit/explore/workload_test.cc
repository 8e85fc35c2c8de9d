// A workload as a case: every one of the space's is a case file the real
// parser and preflight accept, and reads back, through the classifier, as
// the workload it was made from.
#include "explore/workload.h"

#include <gtest/gtest.h>

#include <set>

#include "engine/case_check.h"
#include "engine/case_file.h"
#include "explore/classify.h"

namespace eofzero::explore {
namespace {

engine::CaseSpec Parse(const Run& run, const Geometry& g) {
  const std::string name = RunName(run, g);
  auto spec = engine::ParseCaseText(CaseText(run, name, g, "a test"), name + ".toml");
  EXPECT_TRUE(spec) << spec.error();
  return spec ? *spec : engine::CaseSpec{};
}

TEST(Workload, EveryDepthOneWorkloadIsACaseThatReadsBackAsItself) {
  for (bool reflink : {true, false}) {
    Geometry g;
    g.reflink = reflink;
    Space space(DefaultBounds(), g);
    std::set<std::string> names;
    int n = 0;
    space.ForEach(1, [&](const std::vector<Concrete>& w) {
      const explore::Run run{w, CrashMode::kLogflush};
      const engine::CaseSpec spec = Parse(run, g);
      engine::CaseTarget target{reflink ? fsdriver::FsType::kXfs : fsdriver::FsType::kExt4};
      target.image_bytes = reflink ? 512ull << 20 : 256ull << 20;
      auto checked = engine::PreflightCase(spec, target);
      EXPECT_TRUE(checked) << checked.error() << "\n" << Describe(w);
      auto vars = engine::VariablesFor(spec, g.block_size, 4096, 16);
      EXPECT_TRUE(vars);
      auto back = ClassifyCase(spec, *vars, g);
      EXPECT_TRUE(back) << back.error() << "\n" << Describe(w);
      if (back) EXPECT_EQ(Describe(*back), Describe(w));
      names.insert(spec.name);
      ++n;
      return !HasFailure();
    });
    EXPECT_EQ(names.size(), static_cast<std::size_t>(n)) << "two workloads got one name";
  }
}

TEST(Workload, TheCrashModeIsTheShutdownStep) {
  Geometry g;
  auto c = Concretize({Op::kPwrite, Offset::kNextBlock, Length::kBs}, g.old_eof, g);
  ASSERT_TRUE(c);
  const char* steps[] = {"shutdown -s", "shutdown -f", "shutdown"};
  std::set<std::string> names;
  for (std::size_t m = 0; m < 3; ++m) {
    const explore::Run run{{*c}, CrashMode(m)};
    const std::string text = CaseText(run, "x", g, "p");
    EXPECT_NE(text.find(std::string("\n") + steps[m] + "\ncycle_mount\n"), std::string::npos)
        << text;
    names.insert(RunName(run, g));
  }
  EXPECT_EQ(names.size(), 3u);
}

TEST(Workload, APersistenceIsItsStepOrTheWritesOwnFlag) {
  Geometry g;
  auto lines = [&](Op op, Persist p) {
    auto c = Concretize({op, Offset::kNextBlock, Length::kBs, p}, g.old_eof, g);
    EXPECT_TRUE(c);
    return OperationLines({*c});
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(lines(Op::kPwrite, Persist::kRwfDsync), (V{"pwrite -S 0x61 -D 4096 4096"}));
  EXPECT_EQ(lines(Op::kPwrite, Persist::kODsync),
            (V{"open -y main", "pwrite -S 0x61 4096 4096", "open main"}));
  EXPECT_EQ(lines(Op::kPwriteDirect, Persist::kSyncRange),
            (V{"open -d main", "pwrite -S 0x61 4096 4096", "open main",
               "sync_range -b -w -a 4096 4096"}));
  EXPECT_EQ(lines(Op::kFzeroKeep, Persist::kFsync), (V{"fzero -k 4096 4096", "fsync"}));
  EXPECT_EQ(lines(Op::kTruncate, Persist::kSyncRange), (V{"truncate 4096", "sync_range -b -w -a 4080 16"}));
}

}  // namespace
}  // namespace eofzero::explore
