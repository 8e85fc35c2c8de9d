// `eofzero explore` gives each generated case the verdict `eofzero run`
// gives the same case file, and it finds, reduces and exports its positive
// control: a fault that only a copy_file_range shows. No test asserts what a
// kernel does: verdicts are compared, never asserted, except under the fault.
// The crash is the freezing shutdown (everything written back first), so no
// verdict depends on when the journal commits.
#include <csignal>
#include <fstream>
#include <algorithm>
#include <map>
#include <set>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "harness.h"
#include "report/json_report.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;

// config -> case -> verdict, from explore's --results file.
std::map<std::string, std::map<std::string, std::string>> ResultsOf(const fs::path& file) {
  std::map<std::string, std::map<std::string, std::string>> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    const auto j = nlohmann::json::parse(line);
    out[j.at("config").get<std::string>()][j.at("case").get<std::string>()] =
        j.at("verdict").get<std::string>();
  }
  return out;
}

std::vector<std::string> With(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

TEST(Explore, EachRunsVerdictIsTheVerdictRunGivesItsCaseFile) {
  REQUIRE_ROOT();
  Workdir wd;
  const fs::path cases = wd.path() / "cases", results = wd.path() / "results.jsonl",
                 report = wd.path() / "run.json";
  const std::vector<std::string> bounds = {
      "--fs",      "ext4,xfs",     "--ops",   "pwrite,truncate,falloc", "--offsets",
      "eof,next-block", "--lengths", "1,bs", "--persist", "none,fsync",
      "--crash",   "freeze",       "--workdir", wd.str()};
  Ran emitted = RunEofzero(With({"explore"}, With(bounds, {"--emit-cases", cases.string()})));
  ASSERT_EQ(emitted.exit_code, 0) << emitted.out << emitted.err;
  Ran explored = RunEofzeroWithTimeout(
      With({"explore"}, With(bounds, {"--results", results.string(), "--confirm", "0"})), 600);
  ASSERT_TRUE(explored.exit_code == 0 || explored.exit_code == 1) << explored.out << explored.err;
  Ran ran = RunEofzeroWithTimeout({"run", "--fs", "ext4,xfs", "--cases-dir", cases.string(),
                                   "--case", "x*", "--workdir", wd.str(), "-q", "--format", "json",
                                   "--output", report.string()},
                                  600);
  ASSERT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.out << ran.err;
  auto record = report::LoadJsonReport(report);
  ASSERT_TRUE(record) << record.error().message;
  const auto verdicts = ResultsOf(results);
  std::size_t compared = 0;
  for (const auto& c : record->configs) {
    ASSERT_TRUE(verdicts.contains(c.config.Short())) << c.config.Short();
    const auto& theirs = verdicts.at(c.config.Short());
    EXPECT_EQ(theirs.size(), c.cases.size()) << c.config.Short();
    for (const auto& r : c.cases) {
      ASSERT_TRUE(theirs.contains(r.case_name)) << r.case_name;
      EXPECT_EQ(theirs.at(r.case_name), oracles::OutcomeName(r.outcome))
          << c.config.Short() << " " << r.case_name << ": " << r.summary;
      ++compared;
    }
  }
  EXPECT_GE(compared, 20u) << explored.out;
  ExpectNothingLeft(wd);
}

// The positive control: only workloads with a copy_range fail, and every
// group of them reduces to the simplest one: one copy_range at EOF of one
// byte, nothing made durable, shown in each rerun. Its exported case fails
// under `run` with the fault, and without it gets explore's own verdict.
TEST(Explore, FindsReducesAndExportsItsPositiveControl) {
  REQUIRE_ROOT();
  Workdir wd;
  const fs::path exported = wd.path() / "findings", results = wd.path() / "results.jsonl",
                 json = wd.path() / "explore.json";
  const std::string fault = "stale-after-crash-after-copy-range";
  Ran explored = RunEofzeroWithTimeout(
      {"explore", "--fs", "ext4", "--ops", "copy_range,pwrite", "--offsets", "eof,next-block",
       "--lengths", "1,bs", "--persist", "none,fsync", "--crash", "freeze", "--inject-fault", fault,
       "--confirm", "2", "--export", exported.string(), "--results", results.string(),
       "--format", "json", "--output", json.string(), "--workdir", wd.str()},
      600);
  ASSERT_EQ(explored.exit_code, 1) << explored.out << explored.err;
  // Its JSON report: `report` prints the findings table and totals again,
  // as explore printed them.
  Ran rendered = RunEofzero({"report", json.string()});
  ASSERT_EQ(rendered.exit_code, 0) << rendered.err;
  ASSERT_GT(rendered.out.size(), 100u) << rendered.out;
  EXPECT_TRUE(explored.out.ends_with(rendered.out)) << rendered.out << "\n---\n" << explored.out;
  {
    std::ifstream in(json);
    const auto doc = nlohmann::json::parse(in);
    EXPECT_EQ(doc.at("command"), "explore");
    EXPECT_EQ(doc.at("totals").at("failed").get<int>() > 0, true);
    bool found = false;
    for (const auto& f : doc.at("findings"))
      found |= f.at("reduced_workload") == "copy_range eof:4080 1:1" &&
               f.at("ops") == nlohmann::json{"copy_range"} && f.at("distance") == "eof" &&
               f.at("confirmed") == 2 && !f.at("case_text").get<std::string>().empty();
    EXPECT_TRUE(found) << doc.at("findings").dump(2);
  }
  std::ifstream in(results);
  std::size_t copy_failures = 0;
  for (std::string line; std::getline(in, line);) {
    const auto j = nlohmann::json::parse(line);
    if (j.at("workload").get<std::string>().find("copy_range") == std::string::npos) continue;
    EXPECT_EQ(j.at("verdict"), "FAIL") << line;  // the fault shows in every one
    copy_failures += 1;
  }
  EXPECT_GE(copy_failures, 4u);
  const std::string row_end = "copy_range eof:4080 1:1\n";
  const auto at = explored.out.find(row_end);
  ASSERT_NE(at, std::string::npos) << explored.out;
  const std::string row = explored.out.substr(explored.out.rfind('\n', at) + 1, at - explored.out.rfind('\n', at));
  EXPECT_NE(row.find("ext4/4k"), std::string::npos) << row;
  EXPECT_NE(row.find("invariant 'no stale bytes' after the crash"), std::string::npos) << row;
  EXPECT_NE(row.find(" 2/2 "), std::string::npos) << row;
  // Its exported case file, named in the output.
  const std::string prefix = "exported ";
  std::string file;
  for (std::size_t p = explored.out.find(prefix); p != std::string::npos;
       p = explored.out.find(prefix, p + 1)) {
    const std::string named = explored.out.substr(p + prefix.size(),
                                                  explored.out.find('\n', p) - p - prefix.size());
    std::ifstream text(named);
    const std::string body((std::istreambuf_iterator<char>(text)), std::istreambuf_iterator<char>());
    if (body.find("\ncopy_range -s 0 -d 4080 -l 1 src\ncheck gap\nshutdown -s\n") != std::string::npos)
      file = named;
  }
  ASSERT_FALSE(file.empty()) << explored.out;
  // A run a self-test fault altered is not one `eofzero export` reproduces
  // (its verdict is not the case's alone): explore --export, through the
  // same code, writes its case file alone and says why.
  EXPECT_NE(explored.out.find("only its case file: its run was altered by --inject-fault"),
            std::string::npos)
      << explored.out;
  const std::string name = fs::path(file).stem().string();
  Ran faulted = RunEofzero({"run", "--fs", "ext4", "--cases-dir", exported.string(), "--case",
                            name, "--inject-fault", fault, "--workdir", wd.str()});
  EXPECT_EQ(faulted.exit_code, 1) << faulted.out << faulted.err;
  const fs::path plain_results = wd.path() / "plain.jsonl", report = wd.path() / "run.json";
  Ran plain_explore = RunEofzero({"explore", "--fs", "ext4", "--ops", "copy_range", "--offsets",
                                  "eof", "--lengths", "1", "--persist", "none", "--crash",
                                  "freeze", "--confirm", "0", "--results", plain_results.string(),
                                  "--workdir", wd.str()});
  ASSERT_TRUE(plain_explore.exit_code == 0 || plain_explore.exit_code == 1) << plain_explore.err;
  Ran plain = RunEofzero({"run", "--fs", "ext4", "--cases-dir", exported.string(), "--case", name,
                          "--workdir", wd.str(), "-q", "--format", "json", "--output",
                          report.string()});
  auto record = report::LoadJsonReport(report);
  ASSERT_TRUE(record) << record.error().message << plain.err;
  ASSERT_EQ(record->configs.size(), 1u);
  ASSERT_EQ(record->configs[0].cases.size(), 1u);
  const auto verdicts = ResultsOf(plain_results);
  ASSERT_TRUE(verdicts.contains("ext4/4k"));
  ASSERT_TRUE(verdicts.at("ext4/4k").contains(name)) << plain_explore.out;
  EXPECT_EQ(verdicts.at("ext4/4k").at(name), oracles::OutcomeName(record->configs[0].cases[0].outcome));
  ExpectNothingLeft(wd);
}

}  // namespace
}  // namespace eofzero::itest

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;

// The case names of the runs in a --results file.
std::set<std::string> RunsIn(const fs::path& file) {
  std::set<std::string> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);)
    out.insert(nlohmann::json::parse(line).at("config").get<std::string>() + " " +
               nlohmann::json::parse(line).at("case").get<std::string>());
  return out;
}

const std::vector<std::string> kSmall = {"--fs",      "ext4",       "--ops",     "pwrite,truncate",
                                         "--offsets", "eof,next-block", "--lengths", "1",
                                         "--persist", "none,fsync", "--crash",   "freeze",
                                         "--confirm", "1"};

std::vector<std::string> Plus(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

// Two shards run every run of the whole exploration once; their reports
// merge into one with the whole run's count, and a merge of anything else
// is refused in one line.
TEST(Explore, ShardsSplitTheRunsAndTheirReportsMerge) {
  REQUIRE_ROOT();
  Workdir wd;
  const fs::path whole = wd.path() / "whole.jsonl";
  Ran all = RunEofzeroWithTimeout(
      Plus({"explore"}, Plus(kSmall, {"--results", whole.string(), "--workdir", wd.str()})), 600);
  ASSERT_TRUE(all.exit_code == 0 || all.exit_code == 1) << all.out << all.err;
  std::set<std::string> joined;
  std::size_t sum = 0;
  std::vector<std::string> reports;
  for (const char* k : {"1", "2"}) {
    const fs::path results = wd.path() / (std::string(k) + ".jsonl");
    const fs::path json = wd.path() / (std::string(k) + ".json");
    Ran shard = RunEofzeroWithTimeout(
        Plus({"explore"}, Plus(kSmall, {"--shard", std::string(k) + "/2", "--results",
                                        results.string(), "--format", "json", "--output",
                                        json.string(), "--workdir", wd.str()})),
        600);
    ASSERT_TRUE(shard.exit_code == 0 || shard.exit_code == 1) << shard.out << shard.err;
    const auto runs = RunsIn(results);
    EXPECT_FALSE(runs.empty());
    sum += runs.size();
    joined.insert(runs.begin(), runs.end());
    reports.push_back(json.string());
  }
  EXPECT_EQ(sum, joined.size()) << "a run in both shards";
  EXPECT_EQ(joined, RunsIn(whole));
  const fs::path merged = wd.path() / "merged.json";
  Ran merge = RunEofzero({"report", "--merge", reports[1], reports[0], "--format", "json",
                          "--output", merged.string()});
  ASSERT_TRUE(merge.exit_code == 0 || merge.exit_code == 1) << merge.out << merge.err;
  std::ifstream in(merged);
  const auto doc = nlohmann::json::parse(in);
  EXPECT_EQ(doc.at("totals").at("runs").get<std::size_t>(), joined.size());
  EXPECT_EQ(merge.exit_code, doc.at("totals").at("failed").get<int>() > 0 ? 1 : 0);
  EXPECT_TRUE(doc.at("options").at("shard").is_null());
  for (const auto& refused : {std::vector<std::string>{reports[0], reports[0]},
                              std::vector<std::string>{reports[0]}}) {
    Ran bad = RunEofzero(Plus({"report", "--merge"}, refused));
    EXPECT_EQ(bad.exit_code, 2) << bad.out << bad.err;
    EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
  }
  ExpectNothingLeft(wd);
}

// Killed after its third run (held there: it has just written the third
// line of its results), an exploration resumed with --resume runs only the
// runs the file lacks: together they are the uninterrupted exploration's
// runs, each once, and the three were not run again. A line cut short at
// the end of the file (a kill while writing) is dropped and written again.
TEST(Explore, AKilledExplorationResumesWhereItStopped) {
  REQUIRE_ROOT();
  Workdir wd;
  const fs::path whole = wd.path() / "whole.jsonl", results = wd.path() / "results.jsonl";
  Ran all = RunEofzeroWithTimeout(
      Plus({"explore"}, Plus(kSmall, {"--results", whole.string(), "--workdir", wd.str()})), 600);
  ASSERT_TRUE(all.exit_code == 0 || all.exit_code == 1) << all.out << all.err;
  const std::vector<std::string> args =
      Plus({"explore"}, Plus(kSmall, {"--results", results.string(), "--workdir", wd.str()}));
  {
    HeldRun run(args, "explore: results line 3 written");
    ASSERT_TRUE(run.WaitHeld());
    ASSERT_EQ(::kill(run.pid(), SIGKILL), 0);
    EXPECT_EQ(run.Wait().term_signal, SIGKILL);
  }
  const std::set<std::string> first = RunsIn(results);
  ASSERT_EQ(first.size(), 3u);
  {
    std::ofstream torn(results, std::ios::app);
    torn << "{\"config\":\"ext4/4k\",\"case\":\"x01";  // cut short
  }
  Ran resumed = RunEofzeroWithTimeout(Plus(args, {"--resume"}), 600);
  ASSERT_TRUE(resumed.exit_code == 0 || resumed.exit_code == 1) << resumed.out << resumed.err;
  EXPECT_NE(resumed.out.find("ext4/4k: 3 of "), std::string::npos) << resumed.out;
  std::vector<std::string> lines;
  {
    std::ifstream in(results);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
  }
  const std::set<std::string> after = RunsIn(results);
  EXPECT_EQ(after, RunsIn(whole));
  EXPECT_EQ(lines.size(), after.size()) << "a run was run twice, or the torn line stayed";
  for (const auto& r : first) EXPECT_TRUE(after.contains(r)) << r;
  // --resume needs --results, and refuses a file that is not a results file.
  Ran no_file = RunEofzero(Plus({"explore"}, Plus(kSmall, {"--resume"})));
  EXPECT_EQ(no_file.exit_code, 2) << no_file.err;
  const fs::path other = wd.path() / "other.jsonl";
  { std::ofstream(other) << "not a line\n{}\n"; }
  Ran bad = RunEofzero(Plus({"explore"}, Plus(kSmall, {"--resume", "--results", other.string()})));
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("line 1"), std::string::npos) << bad.err;
  ExpectNothingLeft(wd);
}

// The verdict of each run, by configuration and case, in a results file.
std::map<std::string, std::string> VerdictsIn(const fs::path& file) {
  std::map<std::string, std::string> out;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    const auto j = nlohmann::json::parse(line);
    out[j.at("config").get<std::string>() + " " + j.at("case").get<std::string>()] =
        j.at("verdict").get<std::string>();
  }
  return out;
}

// A report's findings rows: signature (config, finding, after_crash, ops,
// distance) and runs.
std::set<std::pair<std::string, std::uint64_t>> FindingsIn(const fs::path& report) {
  std::ifstream in(report);
  const auto doc = nlohmann::json::parse(in);
  std::set<std::pair<std::string, std::uint64_t>> out;
  for (const auto& f : doc.at("findings"))
    out.insert({nlohmann::json{f.at("config"), f.at("finding"), f.at("after_crash"),
                               f.at("ops"), f.at("distance")}
                    .dump(),
                f.at("runs").get<std::uint64_t>()});
  return out;
}

const std::vector<std::string> kTwoModes = {
    "--fs",      "ext4", "--ops",     "truncate,pwrite", "--offsets", "next-block,eof",
    "--lengths", "1",    "--persist", "none",            "--crash",   "freeze,logflush",
    "--confirm", "1"};

// `explore -j 2` runs the runs of `-j 1` in two workers and reduces them
// here: every run has the same verdict, the findings are the same rows and
// the exit status is the same. -j outside 1..64 is refused in one line.
TEST(Explore, TwoWorkersGiveTheVerdictsFindingsAndStatusOfOne) {
  REQUIRE_ROOT();
  Workdir wd;
  std::map<std::string, std::string> verdicts[2];
  std::set<std::pair<std::string, std::uint64_t>> findings[2];
  int status[2] = {-1, -1};
  for (int jobs : {1, 2}) {
    const fs::path results = wd.path() / fmt::format("j{}.jsonl", jobs);
    const fs::path report = wd.path() / fmt::format("j{}.json", jobs);
    Ran ran = RunEofzeroWithTimeout(
        Plus({"explore"}, Plus(kTwoModes, {"-j", std::to_string(jobs), "--results",
                                           results.string(), "--format", "json", "--output",
                                           report.string(), "--workdir", wd.str()})),
        600);
    ASSERT_TRUE(ran.exit_code == 0 || ran.exit_code == 1) << ran.out << ran.err;
    verdicts[jobs - 1] = VerdictsIn(results);
    findings[jobs - 1] = FindingsIn(report);
    status[jobs - 1] = ran.exit_code;
  }
  EXPECT_GE(verdicts[0].size(), 8u);
  EXPECT_EQ(verdicts[1], verdicts[0]);
  EXPECT_EQ(findings[1], findings[0]);
  EXPECT_EQ(status[1], status[0]);
  for (const char* bad : {"0", "65", "x"}) {
    Ran refused = RunEofzero(Plus({"explore"}, Plus(kTwoModes, {"-j", bad})));
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_EQ(std::count(refused.err.begin(), refused.err.end(), '\n'), 1) << refused.err;
  }
  ExpectNothingLeft(wd);
}

// A worker killed after its first run (held there): the runs of its slice
// it did not write are ERRORs saying so, with its last lines; every other
// run is counted once, and nothing is left behind.
TEST(Explore, TheRunsOfAKilledWorkerAreNotRunErrors) {
  REQUIRE_ROOT();
  Workdir wd;
  const fs::path results = wd.path() / "results.jsonl", report = wd.path() / "report.json";
  const std::vector<std::string> args =
      Plus({"explore"}, Plus(kTwoModes, {"-j", "2", "--results", results.string(), "--format",
                                         "json", "--output", report.string(), "--workdir",
                                         wd.str()}));
  HeldRun run(args, "explore: results line 1 written");
  const auto held = run.WaitHeld();
  ASSERT_TRUE(held);
  ASSERT_EQ(::kill(held->pid, SIGKILL), 0);
  const auto ended = run.Wait();
  std::ifstream in(report);
  const auto doc = nlohmann::json::parse(in);
  const auto& totals = doc.at("totals");
  const bool failed = totals.at("failed").get<int>() > 0 || !doc.at("findings").empty();
  EXPECT_EQ(ended.exit_code, failed ? 1 : 3) << ended.out << ended.err;
  const auto lines = VerdictsIn(results);
  EXPECT_GE(totals.at("errors").get<std::size_t>(), 1u) << ended.out;
  EXPECT_EQ(totals.at("runs").get<std::size_t>(),
            lines.size() + totals.at("errors").get<std::size_t>())
      << "a run counted twice, or not at all";
  EXPECT_NE(doc.dump().find("not run: the worker was killed by signal 9 (SIGKILL), its last "
                            "lines: "),
            std::string::npos)
      << doc.dump();
  ExpectNothingLeft(wd);
}

}  // namespace
}  // namespace eofzero::itest
