// explore/export_input.h: what `eofzero export` takes from a saved report.
#include "explore/export_input.h"

#include <gtest/gtest.h>

#include "engine/case_file.h"
#include "engine/step_parser.h"
#include "engine/case_text.h"

namespace eofzero::explore {
namespace {

using Json = nlohmann::ordered_json;

TEST(MkfsWordsOf, DropsTheDeviceAndEofzerosOwnUuid) {
  auto xfs = MkfsWordsOf(
      "xfs", "mkfs.xfs -f -q -K -b size=4096 -m uuid=18e3a21e-418b-4e87-8781-b94898d6a136 "
             "-m reflink=1 /dev/loop1");
  EXPECT_EQ(xfs.argv, (std::vector<std::string>{"mkfs.xfs", "-f", "-q", "-K", "-b", "size=4096",
                                                "-m", "reflink=1"}));
  EXPECT_EQ(xfs.extra, (std::vector<std::string>{"-m", "reflink=1"}));
  auto ext4 = MkfsWordsOf("ext4",
                          "mkfs.ext4 -F -q -b 4096 -U 3be2e229-7097-4e68-96ac-9f8968b149b5 -E "
                          "nodiscard -O ^has_journal /dev/loop0");
  EXPECT_EQ(ext4.argv, (std::vector<std::string>{"mkfs.ext4", "-F", "-q", "-b", "4096", "-E",
                                                 "nodiscard", "-O", "^has_journal"}));
  EXPECT_EQ(ext4.extra, (std::vector<std::string>{"-O", "^has_journal"}));
}

TEST(FolderName, IsPlainShortAndNeverTaken) {
  report::ConfigInfo c;
  c.fs = "xfs";
  c.block_size = 4096;
  EXPECT_EQ(FolderName(c, "append_write", {}), "xfs-4k-append_write");
  EXPECT_EQ(FolderName(c, "append_write", {"xfs-4k-append_write"}), "xfs-4k-append_write-2");
  c.name = "xfs reflink/1k";
  EXPECT_EQ(FolderName(c, "a", {}), "xfs_reflink_1k-a");
  const std::string long_name = FolderName(c, std::string(100, 'x'), {});
  EXPECT_LE(long_name.size(), engine::kMaxNameLength);
  EXPECT_TRUE(engine::PlainName(long_name)) << long_name;
}

report::CaseRecord Record(const std::string& name, oracles::Outcome outcome) {
  auto spec = engine::LoadCaseFile(std::string(EOFZERO_SOURCE_DIR "/cases/") + name + ".toml");
  EXPECT_TRUE(spec) << spec.error();
  report::CaseRecord r;
  r.case_name = name;
  r.case_file = std::string(EOFZERO_SOURCE_DIR "/cases/") + name + ".toml";
  r.outcome = outcome;
  if (outcome == oracles::Outcome::kFail) r.findings = {"gap"};
  r.detail["case_text"] = engine::CaseFileText(*spec);
  r.detail["variables"] = {{"bs", 4096}, {"ps", 4096},     {"gap", 16},
                           {"eof", 4080}, {"eof_block", 0}, {"eob", 4096}};
  r.detail["crash_model"] = {{"judged", true},
                             {"legal_sizes", "4080 to 8192"},
                             {"legal_size_ranges", Json::parse("[[4080, 8192]]")}};
  return r;
}

report::RunRecord RunOf(std::vector<report::CaseRecord> cases) {
  report::RunRecord run;
  run.kernel = "6.18.0 x86_64";
  report::ConfigRecord xfs;
  xfs.config.fs = "xfs";
  xfs.config.block_size = 4096;
  xfs.config.mkfs_command = "mkfs.xfs -f -q -b size=4096 -m uuid=1 /dev/loop1";
  xfs.cases = std::move(cases);
  run.configs = {xfs};
  return run;
}

const ReadOwnText kNoFiles = [](const std::filesystem::path&) { return std::nullopt; };

TEST(ExportItems, EveryFailOrTheCasesNamedWhateverTheirVerdict) {
  const auto run = RunOf({Record("append_write", oracles::Outcome::kFail),
                        Record("truncate_up", oracles::Outcome::kPass)});
  auto fails = ExportItems(run, {}, kNoFiles);
  ASSERT_TRUE(fails) << fails.error();
  ASSERT_EQ(fails->size(), 1u);
  EXPECT_EQ((*fails)[0].folder, "xfs-4k-append_write");
  EXPECT_EQ((*fails)[0].refused, "");
  EXPECT_EQ((*fails)[0].f.legal_size_ranges,
            (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{4080, 8192}}));
  EXPECT_EQ((*fails)[0].c.mkfs, (std::vector<std::string>{"mkfs.xfs", "-f", "-q", "-b",
                                                          "size=4096"}));
  auto named = ExportItems(run, {"truncate_up"}, kNoFiles);
  ASSERT_TRUE(named);
  ASSERT_EQ(named->size(), 1u);
  EXPECT_EQ((*named)[0].f.verdict, "PASS");
  EXPECT_EQ(ExportItems(run, {"nope"}, kNoFiles).error(),
            "--case: 'nope' is not a case of the report");
}

TEST(ExportItems, RefusesWhatItCannotReproduceWithTheReason) {
  auto old = Record("append_write", oracles::Outcome::kFail);
  old.detail.erase("case_text");
  auto altered = Record("append_write", oracles::Outcome::kFail);
  altered.detail["altered_by"] = Json::array({"--inject-fault stale-after-crash"});
  auto skipped = Record("append_write", oracles::Outcome::kSkip);
  for (const auto& [r, why] :
       std::vector<std::pair<report::CaseRecord, std::string>>{
           {old, "no \"case_text\""}, {altered, "--inject-fault"}, {skipped, "SKIP"}}) {
    auto items = ExportItems(RunOf({r}), {"append_write"}, kNoFiles);
    ASSERT_TRUE(items) << items.error();
    ASSERT_EQ(items->size(), 1u);
    EXPECT_NE((*items)[0].refused.find(why), std::string::npos) << (*items)[0].refused;
  }
}

}  // namespace
}  // namespace eofzero::explore
