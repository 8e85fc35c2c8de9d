#include "suite/matrix_config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "engine/case_file.h"
#include "recorded_output.h"

namespace eofzero::suite {
namespace {

constexpr const char* kGood = R"toml(cases = ["truncate_*"]
[[config]]
name = "ext4-bigalloc"
fs = "ext4"
mkfs_options = "-O bigalloc"
[config.expected_failures]
truncate_up = "a known bug (https://example.org/1)"

[[config]]
name = "xfs-1k"
fs = "xfs"
block_size = 1024
mount_options = "noatime"
cases = ["append_write"]
)toml";

TEST(MatrixConfig, ParsesConfigurationsWithTheirOptionsAndExpectedFailures) {
  auto m = ParseMatrixText(kGood, "m.toml");
  ASSERT_TRUE(m) << m.error();
  EXPECT_EQ(m->cases, std::vector<std::string>{"truncate_*"});
  ASSERT_EQ(m->configs.size(), 2u);
  const auto& a = m->configs[0];
  EXPECT_EQ(a.name, "ext4-bigalloc");
  EXPECT_EQ(a.fs, fsdriver::FsType::kExt4);
  EXPECT_EQ(a.block_size, 4096u);
  EXPECT_EQ(a.mkfs_options, "-O bigalloc");
  EXPECT_EQ(a.line, 2);
  EXPECT_EQ(a.expected_failures.at("truncate_up").reason, "a known bug (https://example.org/1)");
  EXPECT_EQ(a.expected_failures.at("truncate_up").findings, std::vector<std::string>{"gap"})
      << "a plain reason covers gap findings only";
  const auto& b = m->configs[1];
  EXPECT_EQ(b.fs, fsdriver::FsType::kXfs);
  EXPECT_EQ(b.block_size, 1024u);
  EXPECT_EQ(b.mount_options, "noatime");
  EXPECT_EQ(b.cases, std::vector<std::string>{"append_write"});
}

TEST(MatrixConfig, EveryMistakeIsOneLineWithFileAndLine) {
  struct Row {
    const char* text;
    const char* error;
  } rows[] = {
      {"cases = []\n", "m.toml:1: no [[config]] tables: nothing to run"},
      {"[[config]]\nname = \"a\"\nfs = \"zfs\"\n",
       "m.toml:3: unknown filesystem 'zfs' (ext4, xfs, btrfs or f2fs)"},
      {"[[config]]\nfs = \"ext4\"\n", "m.toml:1: a [[config]] needs a 'name'"},
      {"[[config]]\nname = \"a\"\n", "m.toml:1: configuration 'a' needs 'fs'"},
      {"[[config]]\nname = \"a b\"\nfs = \"ext4\"\n",
       "m.toml:2: name 'a b' must be 1 to 64 letters, digits, '-', '_' or '.'"},
      {"[[config]]\nname = \"a\"\nfs = \"xfs\"\nmkfs_options = \"-b size=banana\"\n",
       "m.toml:4: mkfs_options: '-b size=banana' is not a block size this tool can read"},
      {"[[config]]\nname = \"a\"\nfs = \"xfs\"\nmkfs_options = \"-l logdev=/dev/vdc\"\n",
       "m.toml:4: mkfs_options: '-l logdev=/dev/vdc' names an external log device: options that "
       "reach beyond the scratch device are refused"},
      {"[[config]]\nname = \"a\"\nfs = \"xfs\"\nmount_options = \"rtdev=/dev/vdd\"\n",
       "m.toml:4: mount_options: 'rtdev=/dev/vdd' names a device or file, or sets one up: options "
       "that reach beyond the scratch device are refused"},
      {"[[config]]\nname = \"a\"\nfs = \"ext4\"\nblock_size = 4096\nmkfs_options = \"-b 1024\"\n",
       "m.toml:4: block_size 4096 conflicts with mkfs_options, which set 1024"},
      {"[[config]]\nname = \"a\"\nfs = \"ext4\"\nblock_size = 3000\n",
       "m.toml:4: block_size must be a power of two from 1024 to 65536"},
      {"[[config]]\nname = \"a\"\nfs = \"ext4\"\nmount_opts = \"x\"\n",
       "m.toml:4: unknown field 'mount_opts' (name, fs, block_size, mkfs_options, mount_options, "
       "cases, expected_failures)"},
      {"[[config]]\nname = \"a\"\nfs = \"ext4\"\n[[config]]\nname = \"a\"\nfs = \"xfs\"\n",
       "m.toml:4: configuration name 'a' is used twice"},
      {"[[config]]\nname = \"a\"\nfs = \"ext4\"\n[config.expected_failures]\ntruncate_up = \"\"\n",
       "m.toml:5: expected failure 'truncate_up' needs a one-line reason"},
      {"[[config]]\nname = \"a\"\nfs = \"ext4\"\n[config.expected_failures]\n"
       "gap_1 = { reason = \"r\", findings = [\"stale\"] }\n",
       "m.toml:5: unknown finding 'stale' (gap, size, fsck, disagreement, invariant, views, race)"},
      {"[[config]]\nname = \"a\"\nfs = \"ext4\"\n[config.expected_failures]\n"
       "gap_1 = { findings = [\"size\"] }\n",
       "m.toml:5: expected failure 'gap_1' needs a one-line reason"},
      {"jobs = 3\n[[config]]\nname = \"a\"\nfs = \"ext4\"\n",
       "m.toml:1: unknown field 'jobs' (cases, config)"},
      {"[[config]\n", nullptr},  // a TOML syntax error: its own message, still FILE:LINE
  };
  for (const auto& r : rows) {
    auto m = ParseMatrixText(r.text, "m.toml");
    ASSERT_FALSE(m) << r.text;
    if (r.error) {
      EXPECT_EQ(m.error(), r.error) << r.text;
    } else {
      EXPECT_EQ(m.error().rfind("m.toml:1: ", 0), 0u) << m.error();
    }
    EXPECT_EQ(m.error().find('\n'), std::string::npos) << m.error();
  }
}

engine::CaseSpec Spec(const std::string& name, bool in_default = false) {
  engine::CaseSpec c;
  c.name = name;
  c.in_default_suite = in_default;
  return c;
}

TEST(MatrixConfig, AnExpectedFailureMayNameTheKindsOfFindingItCovers) {
  auto m = ParseMatrixText(
      "[[config]]\nname = \"x\"\nfs = \"xfs\"\n[config.expected_failures]\n"
      "gap_1 = { reason = \"known\", findings = [\"gap\", \"fsck\"] }\n",
      "m.toml");
  ASSERT_TRUE(m) << m.error();
  EXPECT_EQ(m->configs[0].expected_failures.at("gap_1"),
            (report::ExpectedFailure{"known", {"gap", "fsck"}}));
}

TEST(MatrixConfig, ABlockSizeTheMkfsOptionsSetIsTheConfigurations) {
  auto m = ParseMatrixText(
      "[[config]]\nname = \"x\"\nfs = \"xfs\"\nmkfs_options = \"-b size=1k\"\n", "m.toml");
  ASSERT_TRUE(m) << m.error();
  EXPECT_EQ(m->configs[0].block_size, 1024u);
}

TEST(MatrixConfig, ACaseForAnotherBlockSizeRunsOnlyInConfigurationsOfThatSize) {
  auto one_k = Spec("truncate_up_1k");
  one_k.block_size = 1024;
  const std::vector<engine::CaseSpec> catalog = {Spec("truncate_up"), one_k};
  auto m = ParseMatrixText(
      "cases = [\"*\"]\n[[config]]\nname = \"a\"\nfs = \"ext4\"\n[[config]]\nname = \"b\"\n"
      "fs = \"ext4\"\nblock_size = 1024\n",
      "m.toml");
  ASSERT_TRUE(m) << m.error();
  auto a = CasesFor(*m, m->configs[0], catalog);
  auto b = CasesFor(*m, m->configs[1], catalog);
  ASSERT_TRUE(a && b);
  ASSERT_EQ(a->size(), 1u);
  EXPECT_EQ((*a)[0]->name, "truncate_up");
  EXPECT_EQ(b->size(), 2u);
}

TEST(MatrixConfig, AnExpectedFailureMustNameACaseTheConfigurationRuns) {
  const std::vector<engine::CaseSpec> catalog = {
      Spec("append_write", true), Spec("truncate_up", true), Spec("truncate_up_far")};
  auto m = ParseMatrixText(kGood, "m.toml");
  ASSERT_TRUE(m) << m.error();
  auto a = CasesFor(*m, m->configs[0], catalog);
  ASSERT_TRUE(a) << a.error();
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0]->name, "truncate_up");
  EXPECT_EQ((*a)[1]->name, "truncate_up_far");

  m->configs[0].expected_failures["append_write"] = {"typo or a case it does not run"};
  auto bad = CasesFor(*m, m->configs[0], catalog);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(),
            "m.toml:2: ext4-bigalloc: expected failure 'append_write' is not a case this "
            "configuration runs");
  m->configs[1].cases = {"no_such_*"};
  EXPECT_FALSE(CasesFor(*m, m->configs[1], catalog));
}

TEST(MatrixConfig, TheShippedMatrixParsesAndMatchesTheShippedCatalog) {
  const std::filesystem::path source = EOFZERO_SOURCE_DIR;
  auto m = LoadMatrixFile(source / "scripts" / "matrix.toml");
  ASSERT_TRUE(m) << m.error();
  auto catalog = engine::LoadCaseDirs({source / "cases"});
  ASSERT_TRUE(catalog) << catalog.error();
  std::vector<std::string> names;
  for (const auto& entry : m->configs) {
    names.push_back(entry.name);
    auto cases = CasesFor(*m, entry, *catalog);
    EXPECT_TRUE(cases) << (cases ? "" : cases.error());
  }
  for (const char* want :
       {"ext4-4k", "ext4-1k", "ext4-bigalloc", "ext4-data-journal", "ext4-nodelalloc",
        "ext4-data-writeback", "xfs-4k", "xfs-1k", "xfs-reflink0", "xfs-reflink1", "btrfs",
        "btrfs-holes", "btrfs-nodatacow"})
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
}

}  // namespace
}  // namespace eofzero::suite

namespace eofzero::suite {
namespace {

// docs/matrix.md's example matrix file must stay a valid one.
TEST(MatrixConfig, TheDocumentedExampleParses) {
  const std::string text = testing::ReadSourceFile("docs/matrix.md");
  const auto from = text.find("cases = [\"*\"]                       # globs");
  ASSERT_NE(from, std::string::npos) << "docs/matrix.md lost its matrix example";
  const auto to = text.find("```", from);
  auto m = ParseMatrixText(text.substr(from, to - from), "docs/matrix.md");
  ASSERT_TRUE(m) << m.error();
  ASSERT_EQ(m->configs.size(), 1u);
  EXPECT_EQ(m->configs[0].mkfs_options, "-O bigalloc -C 65536");
  EXPECT_EQ(m->configs[0].expected_failures.at("gap_1").findings,
            (std::vector<std::string>{"gap", "fsck"}));
}

}  // namespace
}  // namespace eofzero::suite
