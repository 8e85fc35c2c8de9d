// The sweep runs a case as it is written: a case's verdict from `run` is its
// sweep cell for its own primitive, crash mode and distance, on whatever
// kernel runs the test. No test asserts what a kernel does with the gap: the
// two verdicts (and their kinds of finding) are compared, never a verdict.
#include <map>

#include "engine/case_file.h"
#include "harness.h"
#include "report/json_report.h"
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

}  // namespace
}  // namespace eofzero::itest
