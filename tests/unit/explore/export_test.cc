// explore/export.h: a case and its verdict as a case file, a shell
// reproducer, an fstests test with its golden output, and a finding report.
#include "explore/export.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/case_file.h"
#include "engine/case_check.h"
#include "engine/case_text.h"
#include "engine/step.h"
#include "explore/export_plan.h"
#include "explore/export_render.h"

namespace eofzero::explore {
namespace {

using engine::CaseSpec;

constexpr const char* kStart =
    "pwrite -S 0x5a 0 {eob}\nfsync\ntruncate {eof}\nfsync\nplant\n";
constexpr const char* kEnd = "shutdown -f\ncycle_mount\ncheck gap\n";

// A case of language 2 around `steps`.
CaseSpec CaseFromSteps(const std::string& steps) {
  auto spec = engine::ParseCaseText(
      "name = \"x\"\npurpose = \"a test\"\nlanguage = 2\nsteps = '''\n" + steps + "'''\n",
      "/cases/x.toml");
  EXPECT_TRUE(spec) << spec.error();
  return spec ? *spec : CaseSpec{};
}

engine::Variables Vars(const CaseSpec& spec, std::uint32_t bs = 4096) {
  auto v = engine::VariablesFor(spec, bs, 4096, 16);
  EXPECT_TRUE(v) << v.error();
  return v ? *v : engine::Variables{};
}

// The plan of a case whose workload (after the plant) is `workload`.
std::expected<ExportPlan, std::string> PlanOf(const std::string& workload,
                                              const std::string& end = kEnd) {
  const CaseSpec spec = CaseFromSteps(std::string(kStart) + workload + end);
  return PlanExport(spec, Vars(spec));
}

// The xfs_io commands of the plan after the plant, notes left out.
std::vector<std::string> Commands(const std::string& workload, const std::string& end = kEnd) {
  auto plan = PlanOf(workload, end);
  EXPECT_TRUE(plan) << plan.error();
  return plan ? WorkloadCommands(*plan) : std::vector<std::string>{};
}

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Every step of the case language has an entry in the export table: it is
// exported, or refused with a reason; and the table names no other step.
TEST(ExportTable, CoversEveryStepOfTheLanguageOrRefusesItWithAReason) {
  std::vector<std::string> language;
  for (const auto& def : engine::StepDefs()) {
    language.push_back(def.name);
    auto why = WhyNotExported(def.name);
    ASSERT_TRUE(why.has_value()) << def.name << " has no entry in the export table";
    if (why->empty()) continue;
    EXPECT_GT(why->size(), 20u) << def.name << ": a reason, in words";
  }
  for (const auto& name : ExportTableNames())
    EXPECT_TRUE(Contains(language, name)) << name << " is not a step of the language";
}

// Each step's own example, in a case: an exported step plans; a refused one
// is refused with its line and the table's reason.
TEST(ExportTable, EachStepsExampleIsPlannedOrRefusedWithItsLine) {
  int planned = 0, refused = 0;
  for (const auto& def : engine::StepDefs()) {
    if (def.role != engine::StepRole::kAction) continue;  // the case's frame has them all
    const std::string_view name = def.name;
    std::string before;
    if (name == "mwrite" || name == "msync" || name == "munmap") before = "mmap 0 {eob}\n";
    const std::string after = name.starts_with("race_") ? "check races\n" : "";
    const CaseSpec spec = CaseFromSteps(
        std::string(kStart) + before + def.example + "\n" + after + "check gap\n" + kEnd);
    if (spec.steps.empty()) continue;  // CaseFromSteps said why
    auto plan = PlanExport(spec, Vars(spec));
    const std::string why = *WhyNotExported(def.name);
    if (why.empty()) {
      EXPECT_TRUE(plan) << def.example << ": " << plan.error();
      ++planned;
    } else {
      ASSERT_FALSE(plan) << def.example << " was exported";
      EXPECT_NE(plan.error().find("line "), std::string::npos) << plan.error();
      EXPECT_NE(plan.error().find(why), std::string::npos) << plan.error();
      ++refused;
    }
  }
  EXPECT_GE(planned, 15);
  EXPECT_GE(refused, 3);
}

TEST(ShellQuote, LeavesPlainWordsAndQuotesTheRest) {
  EXPECT_EQ(ShellQuote("mkfs.xfs"), "mkfs.xfs");
  EXPECT_EQ(ShellQuote("size=4096"), "size=4096");
  EXPECT_EQ(ShellQuote("/dev/loop0"), "/dev/loop0");
  EXPECT_EQ(ShellQuote(""), "''");
  EXPECT_EQ(ShellQuote("a b"), "'a b'");
  EXPECT_EQ(ShellQuote("$HOME"), "'$HOME'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellQuote("a;rm -rf /"), "'a;rm -rf /'");
}

// xfs_io (6.1) applies pwrite's -D and -N only with -V: pwrite -D alone is
// a plain write, silently.
TEST(ExportPwrite, RwfFlagsAlwaysGoWithV1) {
  EXPECT_TRUE(Contains(Commands("pwrite -D -S 0x42 {eob} {bs}\n"),
                       "pwrite -q -S 0x42 -V 1 -D 4096 4096"));
  EXPECT_TRUE(Contains(Commands("pwrite -N -S 0x42 {eob} {bs}\n"),
                       "pwrite -q -S 0x42 -V 1 -N 4096 4096"));
  EXPECT_TRUE(Contains(Commands("pwrite -V 2 -D -S 0x42 {eob} {bs}\n"),
                       "pwrite -q -S 0x42 -V 2 -D 4096 4096"));
  EXPECT_TRUE(
      Contains(Commands("pwrite -S 0x42 {eob} {bs}\n"), "pwrite -q -S 0x42 4096 4096"));
  auto plan = PlanOf("pwrite -D -S 0x42 {eob} {bs}\n");
  ASSERT_TRUE(plan);
  EXPECT_TRUE(plan->needs.contains({"pwrite", "-D"}));
}

// xfs_io's open has no O_DSYNC: an O_DSYNC write is RWF_DSYNC, said so.
TEST(ExportPwrite, AnODsyncWriteIsRwfDsyncWithANote) {
  auto plan = PlanOf("open -y main\npwrite -S 0x42 {eob} {bs}\nopen main\n");
  ASSERT_TRUE(plan) << plan.error();
  bool seen = false;
  for (const auto& s : plan->steps)
    for (const auto& c : s.commands)
      if (c.text == "pwrite -q -S 0x42 -V 1 -D 4096 4096") {
        seen = true;
        EXPECT_NE(c.note.find("O_DSYNC"), std::string::npos) << c.note;
      }
  EXPECT_TRUE(seen);
  for (const auto& c : WorkloadCommands(*plan)) EXPECT_FALSE(c.starts_with("open")) << c;
}

TEST(ExportPwrite, RwfAppendIsAnAppendDescriptorAndODirectAnOpenD) {
  const auto append = Commands("pwrite -P -S 0x42 0 {bs}\n");
  EXPECT_TRUE(Contains(append, "open -f -a main")) << append.size();
  const auto direct = Commands("open -d main\npwrite -S 0x42 {eob} {bs}\nopen main\ncheck gap\n");
  ASSERT_GE(direct.size(), 4u);
  EXPECT_EQ(direct[0], "open -f -d main");
  EXPECT_EQ(direct[1], "pwrite -q -S 0x42 4096 4096");
  EXPECT_EQ(direct[2], "file 0") << "back to the plain descriptor";
}

// xfs_io's sync_range keeps only its last flag: one command per flag, in
// the order sync_file_range applies them.
TEST(ExportSyncRange, SeveralFlagsAreThreeCommands) {
  const auto c = Commands("pwrite -S 0x42 {eob} {bs}\nsync_range -a -w -b {eob} {bs}\n");
  const std::vector<std::string> want = {"sync_range -b 4096 4096", "sync_range -w 4096 4096",
                                         "sync_range -a 4096 4096"};
  EXPECT_NE(std::search(c.begin(), c.end(), want.begin(), want.end()), c.end());
  const auto one = Commands("pwrite -S 0x42 {eob} {bs}\nsync_range -w {eob} {bs}\n");
  EXPECT_TRUE(Contains(one, "sync_range -w 4096 4096"));
  EXPECT_FALSE(Contains(one, "sync_range -b 4096 4096"));
  const auto none = Commands("pwrite -S 0x42 {eob} {bs}\nsync_range {eob} {bs}\n");
  for (const auto& cmd : none) EXPECT_FALSE(cmd.starts_with("sync_range")) << cmd;
}

// xfs_io's shutdown has no freezing mode: syncfs, then a log-flushing one.
TEST(ExportShutdown, TheFreezeModeIsSyncfsThenShutdownF) {
  auto freeze = PlanOf("pwrite -S 0x42 {eob} {bs}\n", "shutdown -s\ncycle_mount\ncheck gap\n");
  ASSERT_TRUE(freeze);
  const auto c = WorkloadCommands(*freeze);
  ASSERT_GE(c.size(), 2u);
  EXPECT_EQ(c[c.size() - 2], "syncfs");
  EXPECT_EQ(c.back(), "shutdown -f");
  EXPECT_EQ(freeze->crash_mode, "freeze");
  EXPECT_EQ(Commands("pwrite -S 0x42 {eob} {bs}\n", "shutdown\ncycle_mount\ncheck gap\n").back(),
            "shutdown");
  EXPECT_EQ(Commands("pwrite -S 0x42 {eob} {bs}\n").back(), "shutdown -f");
}

TEST(ExportMsync, SaysMsSyncExplicitly) {
  const auto c = Commands("mmap 0 {eob}\nmwrite -S 0x42 0 16\nmsync\nmunmap\n");
  EXPECT_TRUE(Contains(c, "mmap -rw 0 4096"));
  EXPECT_TRUE(Contains(c, "mwrite -S 0x42 0 16"));
  EXPECT_TRUE(Contains(c, "msync -s"));
  EXPECT_TRUE(Contains(c, "munmap"));
  EXPECT_TRUE(Contains(Commands("mmap 0 {eob}\nmsync -a\n"), "msync -a"));
}

// xfs_io 6.1's copy_range -f N closes descriptor N: the source by its name.
TEST(ExportCopyRange, NamesTheSourceFileAndOpensNoDescriptorForIt) {
  const CaseSpec spec = CaseFromSteps(
      "file src\npwrite -S 0x42 0 {bs}\nfsync\nfile main\n" + std::string(kStart) +
      "copy_range -s 0 -d {eob} -l {bs} src\ncheck gap\n" + kEnd);
  auto plan = PlanExport(spec, Vars(spec));
  ASSERT_TRUE(plan) << plan.error();
  const auto c = WorkloadCommands(*plan);
  EXPECT_TRUE(Contains(c, "copy_range -s 0 -d 4096 -l 4096 src"));
  for (const auto& cmd : c) EXPECT_FALSE(cmd.starts_with("open")) << cmd;
}

TEST(ExportPlan, ARaceIsRefusedWithItsLine) {
  const CaseSpec spec = CaseFromSteps(
      std::string(kStart) + "race_dio 0\ncheck races\ncheck gap\n" + kEnd);
  auto plan = PlanExport(spec, Vars(spec));
  ASSERT_FALSE(plan);
  EXPECT_TRUE(plan.error().starts_with("line 10: 'race_dio 0'")) << plan.error();
}

// The gap's allowed bytes follow the case: zero, or what it wrote there.
TEST(ExportPlan, TheGapAllowsZeroOrWhatTheCaseWroteThere) {
  auto plan = PlanOf("pwrite -S 0x42 {eof} 8\n");
  ASSERT_TRUE(plan);
  const ScriptStep& check = plan->steps.back();
  ASSERT_EQ(check.kind, ScriptStep::Kind::kCheckGap);
  ASSERT_EQ(check.gap.allowed.size(), 16u);
  EXPECT_TRUE(check.gap.allowed[0].test(0x42));
  EXPECT_TRUE(check.gap.allowed[7].test(0x42));
  EXPECT_FALSE(check.gap.allowed[8].test(0x42));
  EXPECT_FALSE(check.gap.OnlyZero());
  EXPECT_NE(plan->sentinel, 0x42);
  // An append lands at the size the model knows.
  auto append = PlanOf("open -a main\npwrite -S 0x61 0 4\nopen main\n");
  ASSERT_TRUE(append);
  EXPECT_TRUE(append->steps.back().gap.allowed[0].test(0x61));
  EXPECT_FALSE(append->steps.back().gap.allowed[4].test(0x61));
  // The sentinel is a byte the case never writes.
  auto s = PlanOf("pwrite -S 0x53 {eob} {bs}\n");
  ASSERT_TRUE(s);
  EXPECT_NE(s->sentinel, 0x53);
}

ExportFinding Judged(std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges) {
  ExportFinding f;
  f.verdict = "FAIL";
  f.kinds = {"gap"};
  f.model_judged = true;
  f.legal_size_ranges = std::move(ranges);
  f.legal_sizes = "4080 to 8192";
  return f;
}

// The golden output is what a correct filesystem prints, from the model.
TEST(ExportGolden, IsDerivedFromTheCaseAndTheModel) {
  auto plan = PlanOf("pwrite -S 0x42 {eob} {bs}\ncheck gap\nsync_range -b -w -a {eob} {bs}\n",
                     "shutdown -f\ncycle_mount\nexpect size {eob + bs}\ncheck gap\n");
  ASSERT_TRUE(plan) << plan.error();
  EXPECT_EQ(RenderGolden(*plan, Judged({{4080, 8192}})),
            "QA output created by NNN\n"
            "gap [4080, 4096) before the crash: zero\n"
            "expect size 8192: ok\n"
            "size: allowed\n"
            "gap [4080, 4096): zero\n");
  ExportFinding unjudged = Judged({});
  unjudged.model_judged = false;
  EXPECT_EQ(RenderGolden(*plan, unjudged),
            "QA output created by NNN\n"
            "gap [4080, 4096) before the crash: zero\n"
            "expect size 8192: ok\n"
            "gap [4080, 4096): zero\n");
  auto written = PlanOf("pwrite -S 0x42 {eof} 8\n");
  ASSERT_TRUE(written);
  EXPECT_EQ(RenderGolden(*written, unjudged),
            "QA output created by NNN\ngap [4080, 4096): zero or as written\n");
}

ExportCase CatalogCase(const std::string& name, const std::string& fs, std::uint32_t bs = 4096) {
  auto spec = engine::LoadCaseFile(std::string(EOFZERO_SOURCE_DIR "/cases/") + name + ".toml");
  EXPECT_TRUE(spec) << spec.error();
  ExportCase c;
  if (!spec) return c;
  c.case_name = name;
  c.case_text = engine::CaseFileText(*spec);
  c.vars = Vars(*spec, spec->block_size.value_or(bs));
  c.fs = fs;
  c.mkfs = fs == "xfs" ? std::vector<std::string>{"mkfs.xfs", "-f", "-q", "-b", "size=4096"}
                       : std::vector<std::string>{"mkfs.ext4", "-F", "-q", "-b", "4096"};
  c.kernel = "Linux 6.18.0 x86_64";
  c.tool = "eofzero 0.1.0";
  return c;
}

TEST(ExportFindingFiles, WritesAllFourFromOneCase) {
  const ExportCase c = CatalogCase("append_write", "xfs");
  auto out = ExportFindingFiles(c, Judged({{4080, 8192}}), "xfs-4k-append_write");
  ASSERT_TRUE(out) << out.error();
  // The case file runs as its own case, pinned to where it ran.
  auto spec = engine::ParseCaseText(out->case_file, "xfs-4k-append_write.toml");
  ASSERT_TRUE(spec) << spec.error() << "\n" << out->case_file;
  EXPECT_EQ(spec->name, "xfs-4k-append_write");
  EXPECT_EQ(spec->block_size, 4096u);
  EXPECT_NE(out->case_file.find("fs = [\"xfs\"]"), std::string::npos);
  // The script: mkfs as it ran; every command once, on one descriptor (-C).
  EXPECT_TRUE(out->script.starts_with("#!/bin/sh\n"));
  EXPECT_NE(out->script.find("mkfs.xfs -f -q -b size=4096 \"$dev\""), std::string::npos);
  EXPECT_NE(out->script.find("-C \"pwrite -q -S 0x42 4096 4096\""), std::string::npos);
  EXPECT_EQ(out->script.find("\"$@\" -c"), std::string::npos) << "-c runs on every descriptor";
  EXPECT_NE(out->script.find("EOFZERO_SELFTEST_FAULT"), std::string::npos);
  // The fstests test: generic/794's shape, each xfs_io command required.
  EXPECT_NE(out->fstests.find("_begin_fstest auto quick rw shutdown"), std::string::npos);
  EXPECT_NE(out->fstests.find("_require_xfs_io_command \"sync_range\""), std::string::npos);
  EXPECT_NE(out->fstests.find("_require_scratch_shutdown"), std::string::npos);
  EXPECT_NE(out->fstests.find("_scratch_cycle_mount"), std::string::npos);
  EXPECT_EQ(out->fstests.find("EOFZERO_SELFTEST_FAULT"), std::string::npos);
  EXPECT_TRUE(out->fstests_out.starts_with("QA output created by NNN\n"));
  // The report: the configuration, the workload, the reproducer inline.
  EXPECT_NE(out->report.find("| mkfs | `mkfs.xfs -f -q -b size=4096 DEVICE` |"),
            std::string::npos);
  EXPECT_NE(out->report.find(out->script), std::string::npos);
}

TEST(ExportFindingFiles, RefusesABadNameAndARace) {
  const ExportCase c = CatalogCase("append_write", "xfs");
  EXPECT_FALSE(ExportFindingFiles(c, Judged({}), "../x"));
  EXPECT_FALSE(ExportFindingFiles(c, Judged({}), ""));
  auto race = ExportFindingFiles(CatalogCase("race_dio_hole", "xfs"), Judged({}), "x");
  ASSERT_FALSE(race);
  EXPECT_NE(race.error().find("race"), std::string::npos) << race.error();
}

// Every catalog case that has no race step exports.
TEST(ExportFindingFiles, EveryCatalogCaseWithoutARaceExports) {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(EOFZERO_SOURCE_DIR "/cases")) {
    const std::string name = entry.path().stem().string();
    if (name.starts_with("race_")) continue;
    auto spec = engine::LoadCaseFile(entry.path());
    ASSERT_TRUE(spec) << spec.error();
    const std::string fs = spec->filesystems.empty()
                               ? "xfs"
                               : std::string(fsdriver::FsTypeName(spec->filesystems.front()));
    auto out = ExportFindingFiles(CatalogCase(name, fs), Judged({}), name);
    EXPECT_TRUE(out) << name << ": " << (out ? "" : out.error());
    ++n;
  }
  EXPECT_GE(n, 25);
}

}  // namespace
}  // namespace eofzero::explore
