// The sweep runs a case as it is written: a case's verdict from `run` is its
// sweep cell for its own primitive, crash mode and distance, on whatever
// kernel runs the test. No test asserts what a kernel does with the gap: the
// two verdicts (and their kinds of finding) are compared, never a verdict.
#include <map>

#include "engine/case_file.h"
#include "harness.h"
#include "report/json_report.h"
#include "report/sweep_table.h"
#include "suite/sweep_plan.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ",") + n;
  return out;
}
void AddOnce(std::vector<std::string>& names, const std::string& name) {
  if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end())
    names.push_back(name);
}

const report::CaseRecord* FindRecord(const report::RunRecord& record, const std::string& config,
                                     const std::string& name) {
  for (const auto& c : record.configs)
    if (c.config.Short() == config)
      for (const auto& r : c.cases)
        if (r.case_name == name) return &r;
  return nullptr;
}

std::string Described(const report::CaseRecord& r) {
  std::string kinds;
  for (const auto& k : r.findings) kinds += " " + k;
  return std::string(oracles::OutcomeName(r.outcome)) + " [" + kinds + " ] " + r.summary;
}

// One run of the cases and one sweep of their own tuples, each on one mkfs
// per filesystem (the sweep runs a few other tuples of the same cases too).
TEST(Sweep, ACasesVerdictIsItsSweepCellAsWritten) {
  REQUIRE_ROOT();
  Workdir wd;
  const std::vector<std::string> cases = {"append_write", "truncate_up", "fallocate",
                                          "append_write_fsync", "dio_append_aligned"};
  auto catalog = engine::LoadCaseDirs({fs::path(EOFZERO_SOURCE_DIR) / "cases"});
  ASSERT_TRUE(catalog) << catalog.error();
  std::map<std::string, std::string> cell;  // case -> the name of its own tuple
  std::vector<std::string> primitives, crashes, distances;
  for (const auto& spec : *catalog) {
    if (std::find(cases.begin(), cases.end(), spec.name) == cases.end()) continue;
    auto own = suite::AsWritten(spec);
    ASSERT_TRUE(own) << spec.name << ": " << own.error();
    cell[spec.name] = spec.name + "." + own->primitive + "." + own->crash +
                      (own->distance.empty() ? "" : "." + own->distance);
    AddOnce(primitives, own->primitive);
    AddOnce(crashes, own->crash);
    AddOnce(distances, own->distance);
  }
  ASSERT_EQ(cell.size(), cases.size());
  const fs::path run_json = wd.path() / "run.json", sweep_json = wd.path() / "sweep.json";
  const std::vector<std::string> common = {"--fs",   "ext4,xfs",    "--block-size", "4096",
                                           "--case", Joined(cases), "--workdir",    wd.str(),
                                           "-q",     "--format",    "json"};
  std::vector<std::string> run_args = {"run"}, sweep_args = {"sweep"};
  run_args.insert(run_args.end(), common.begin(), common.end());
  run_args.insert(run_args.end(), {"--output", run_json.string()});
  sweep_args.insert(sweep_args.end(), common.begin(), common.end());
  sweep_args.insert(sweep_args.end(), {"--output", sweep_json.string(), "--sync",
                                       Joined(primitives), "--crash", Joined(crashes)});
  if (!distances.empty()) sweep_args.insert(sweep_args.end(), {"--distance", Joined(distances)});
  Ran run = RunEofzeroWithTimeout(run_args, 600);
  ASSERT_FALSE(run.timed_out) << run.err;
  Ran sweep = RunEofzeroWithTimeout(sweep_args, 600);
  ASSERT_FALSE(sweep.timed_out) << sweep.err;
  auto ran = report::LoadJsonReport(run_json);
  ASSERT_TRUE(ran) << ran.error().message << "\n" << run.err;
  auto swept = report::LoadJsonReport(sweep_json);
  ASSERT_TRUE(swept) << swept.error().message << "\n" << sweep.err;
  for (const std::string config : {"ext4/4k", "xfs/4k"})
    for (const auto& [name, tuple] : cell) {
      const report::CaseRecord* a = FindRecord(*ran, config, name);
      const report::CaseRecord* b = FindRecord(*swept, config, tuple);
      ASSERT_NE(a, nullptr) << config << " " << name << "\n" << run.err;
      ASSERT_NE(b, nullptr) << config << " " << tuple << "\n" << sweep.err;
      EXPECT_EQ(oracles::OutcomeName(a->outcome), std::string(oracles::OutcomeName(b->outcome)))
          << config << " " << name << ": run " << Described(*a) << "\nsweep " << tuple << ": "
          << Described(*b);
      EXPECT_EQ(a->findings, b->findings) << config << " " << name;
    }
  ExpectNothingLeft(wd);
}

// `sweep -j 2` spreads the tuples over two worker processes (each its own
// mkfs) and joins their reports: every tuple has the verdict, findings and
// cell the one-process sweep gave it, in the same order, with the same table
// and exit status. Verdicts are compared, never asserted.
TEST(Sweep, TwoWorkersGiveEveryTupleTheVerdictOfOneProcess) {
  REQUIRE_ROOT();
  Workdir wd;
  auto sweep = [&](const std::string& jobs) {
    const fs::path json = wd.path() / ("j" + jobs + ".json");
    Ran ran = RunEofzeroWithTimeout(
        {"sweep", "--fs", "ext4", "--case", "append_write,truncate_up", "--sync", "none,fsync",
         "--crash", "freeze,logflush", "--distance", "next-block", "--workdir", wd.str(), "-q",
         "--format", "json", "--output", json.string(), "-j", jobs},
        600);
    EXPECT_FALSE(ran.timed_out) << ran.err;
    return std::make_pair(ran, report::LoadJsonReport(json));
  };
  const auto [ran1, one] = sweep("1");
  const auto [ran2, two] = sweep("2");
  ASSERT_TRUE(one) << one.error().message << "\n" << ran1.err;
  ASSERT_TRUE(two) << two.error().message << "\n" << ran2.err;
  EXPECT_EQ(ran2.exit_code, ran1.exit_code) << ran1.err << "\n" << ran2.err;
  EXPECT_EQ(two->command, "sweep");
  EXPECT_EQ(two->sweep, one->sweep);
  ASSERT_EQ(two->configs.size(), one->configs.size());
  std::size_t tuples = 0;
  for (std::size_t c = 0; c < one->configs.size(); ++c) {
    const auto& a = one->configs[c];
    const auto& b = two->configs[c];
    EXPECT_EQ(b.config.Short(), a.config.Short());
    ASSERT_EQ(b.cases.size(), a.cases.size()) << a.config.Short();
    for (std::size_t i = 0; i < a.cases.size(); ++i, ++tuples) {
      EXPECT_EQ(b.cases[i].case_name, a.cases[i].case_name) << "the tuple order";
      EXPECT_EQ(Described(b.cases[i]).substr(0, Described(b.cases[i]).find(']')),
                Described(a.cases[i]).substr(0, Described(a.cases[i]).find(']')))
          << a.cases[i].case_name << ": -j 1 " << Described(a.cases[i]) << "\n-j 2 "
          << Described(b.cases[i]);
      EXPECT_EQ(b.cases[i].sweep, a.cases[i].sweep) << a.cases[i].case_name;
    }
  }
  EXPECT_EQ(tuples, 8u) << "2 cases x 2 primitives x 2 crash modes";
  EXPECT_EQ(report::RenderSweepTable(report::SweepCells(*two), two->sweep->primitives,
                                     two->sweep->crashes),
            report::RenderSweepTable(report::SweepCells(*one), one->sweep->primitives,
                                     one->sweep->crashes));
  ExpectNothingLeft(wd);
}

}  // namespace
}  // namespace eofzero::itest
