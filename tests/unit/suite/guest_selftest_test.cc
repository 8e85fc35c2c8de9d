#include "suite/guest_selftest.h"

#include <gtest/gtest.h>

#include "report/selftest_json.h"
#include "suite/exit_status.h"
#include "suite/selftest.h"

namespace eofzero::suite {
namespace {

using oracles::Outcome;
using Strings = std::vector<std::string>;

// A guest's self-test on one filesystem: every row detected, but the fsck
// row skipped and, when `miss` names a row, that one not detected.
std::string GuestDocument(const std::string& fs, const std::string& miss = "",
                          const std::string& setup_error = "") {
  report::SelftestDocument doc;
  doc.kernel = "6.12.1-amd64";
  doc.table.columns = {fs + "/4k"};
  doc.table.column_info = {{fs, 4096, setup_error}};
  for (const auto& label : SelftestRowLabels()) {
    const bool fsck = label == "fsck (after crash)";
    doc.table.rows.push_back({label,
                              {fsck ? "skip" : label == miss ? "NO" : "yes"},
                              fsck ? "corrupt_directory" : "a control",
                              {fsck ? "no fsck on " + fs : "saw it"}});
  }
  return report::RenderSelftestJson(doc);
}

TEST(GuestSelftest, APlanIsAConfigurationPerFilesystemWithTheSelftestsRows) {
  const GuestPlan plan = SelftestPlan({"ext4", "xfs"}, 4096);
  ASSERT_EQ(plan.Configurations(), 2u);
  EXPECT_EQ(plan.cases.size(), SelftestRowLabels().size());
  EXPECT_EQ(SelftestRunArgs(plan), (std::vector<Strings>{{"--fs", "ext4", "--block-size", "4096"},
                                                         {"--fs", "xfs", "--block-size", "4096"}}));
}

TEST(GuestSelftest, AGuestsDocumentIsAConfigurationWhoseCasesAreItsRows) {
  auto record = SelftestRunRecord(GuestDocument("ext4", "mmap (after crash)"));
  ASSERT_TRUE(record) << record.error();
  ASSERT_EQ(record->configs.size(), 1u);
  const auto& c = record->configs[0];
  EXPECT_EQ(c.config.fs, "ext4");
  EXPECT_EQ(c.config.block_size, 4096u);
  EXPECT_EQ(c.config.Short(), "ext4/4k");
  ASSERT_EQ(c.cases.size(), SelftestRowLabels().size());
  for (const auto& r : c.cases) {
    if (r.case_name == "fsck (after crash)") {
      EXPECT_EQ(r.outcome, Outcome::kSkip);
      EXPECT_EQ(r.reason, "no fsck on ext4");
    } else if (r.case_name == "mmap (after crash)") {
      EXPECT_EQ(r.outcome, Outcome::kFail);
    } else {
      EXPECT_EQ(r.outcome, Outcome::kPass) << r.case_name;
    }
  }
  EXPECT_EQ(c.cases[0].detail["control"], "a control");
  EXPECT_FALSE(SelftestRunRecord(R"({"selftest": {"error": "no space"}})"));
  EXPECT_EQ(SelftestRunRecord(R"({"selftest": {"error": "no space"}})").error(),
            "the self-test could not start: no space");
  EXPECT_FALSE(SelftestRunRecord("not json"));
}

// The guests' records as kernels gathers them (guest_records.h): one that
// reported, one that panicked. The host's table is the guests' own cells.
TEST(GuestSelftest, TheHostsTableIsTheGuestsCellsAndAnErrorColumnForAGuestThatSaidNothing) {
  const GuestPlan plan = SelftestPlan({"ext4"}, 4096);
  GuestOutcome reported{{"trixie", "", "6.12.1-amd64", 2, 100}, {}, "", ""};
  reported.reports.push_back(*SelftestRunRecord(GuestDocument("ext4", "size (after crash)")));
  GuestOutcome panicked{{"sid", "", "", 0, 0}, {std::nullopt}, "the guest panicked: Kernel panic",
                        "Kernel panic - not syncing"};
  report::RunRecord record;
  for (const auto& outcome : {reported, panicked})
    for (auto& c : GuestRecords(outcome, plan)) record.configs.push_back(c);
  const auto table = KernelsSelftestTable(record);
  EXPECT_EQ(table.columns, (Strings{"6.12.1-amd64:ext4/4k", "sid:ext4/4k"}));
  const auto guest = report::SelftestFromJson(GuestDocument("ext4", "size (after crash)"));
  ASSERT_EQ(table.rows.size(), guest->table.rows.size());
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    EXPECT_EQ(table.rows[i].label, guest->table.rows[i].label);
    EXPECT_EQ(table.rows[i].cells, (Strings{guest->table.rows[i].cells[0], "?"}));
  }
  EXPECT_EQ(table.column_info[1].setup_error.find("kernel sid: the guest panicked"), 0u);
  const std::string text = RenderKernelsSelftest(record, 2, 1);
  EXPECT_NE(text.find("sid:ext4/4k: could not set up: kernel sid: the guest panicked: Kernel "
                      "panic; console: Kernel panic - not syncing\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("6.12.1-amd64:ext4/4k: size (after crash): NO: saw it\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find(report::RenderSelftestTable(table)), std::string::npos);
  EXPECT_NE(text.find("kernels --selftest: 2 configurations in 0.0s with -j 1\n"),
            std::string::npos);
  EXPECT_EQ(KernelsSelftestProgressLine(1, 2, record.configs[0], 102.04),
            "[1/2] 6.12.1-amd64:ext4/4k           102.0s  13 detected, 1 NOT detected, 1 skip");
}

// Rows whose detection cannot be shown are said once per reason.
TEST(GuestSelftest, TheSummarySaysWhyRowsCannotShowDetectionOncePerReason) {
  report::SelftestDocument doc;
  doc.table.columns = {"ext4/4k"};
  doc.table.column_info = {{"ext4", 4096, ""}};
  for (const auto& label : SelftestRowLabels())
    doc.table.rows.push_back({label,
                              {label == "race (both phases)" ? "yes" : "?"},
                              "c",
                              {"the baseline did not pass: gap not zero"}});
  auto record = SelftestRunRecord(report::RenderSelftestJson(doc));
  ASSERT_TRUE(record);
  record->configs[0].config.name = "6.1.0-57-amd64:ext4/4k";
  const std::string text = RenderKernelsSelftest(*record, 1, 1);
  EXPECT_EQ(text.find("6.1.0-57-amd64:ext4/4k: 14 rows ?: the baseline did not pass: gap not "
                      "zero\n\noracle (phase) detects"),
            0u)
      << text;
  EXPECT_EQ(KernelsSelftestExitStatus(*record), kExitFail) << "a finding, not a setup failure";
}

TEST(GuestSelftest, ExitsAsSelftestDoes) {
  auto record_of = [](const std::vector<std::string>& documents) {
    report::RunRecord all;
    for (const auto& d : documents) {
      const auto record = SelftestRunRecord(d);
      for (const auto& c : record->configs) all.configs.push_back(c);
    }
    return all;
  };
  EXPECT_EQ(KernelsSelftestExitStatus(record_of({GuestDocument("ext4"), GuestDocument("xfs")})),
            kExitPass);
  EXPECT_EQ(KernelsSelftestExitStatus(
                record_of({GuestDocument("ext4"), GuestDocument("xfs", "mmap (after crash)")})),
            kExitFail);
  EXPECT_EQ(KernelsSelftestExitStatus(record_of(
                {GuestDocument("ext4", "mmap (after crash)"),
                 GuestDocument("xfs", "", "the baseline did not run: mkfs failed")})),
            kExitToolError)
      << "a setup failure outranks a miss, as in selftest";
}

}  // namespace
}  // namespace eofzero::suite
