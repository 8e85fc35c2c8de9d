#include "report/selftest_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace eofzero::report {
namespace {

SelftestDocument Sample() {
  SelftestDocument doc;
  doc.tool = "eofzero 0.1.0";
  doc.kernel = "6.12.1-amd64";
  doc.all_detected = false;
  doc.setup_failed = true;
  doc.table.columns = {"ext4/4k", "xfs/1k"};
  doc.table.column_info = {{"ext4", 4096, ""}, {"xfs", 1024, "mkfs.xfs exited 1"}};
  doc.table.rows = {
      {"mmap (before crash)", {"yes", "?"}, "stale_in_cache", {"1 oracle saw it", "mkfs.xfs exited 1"}},
      {"fsck (after crash)", {"skip", "?"}, "corrupt_directory", {"no fsck here", "mkfs.xfs exited 1"}},
      {"size (after crash)", {"NO", "?"}, "wrong_size", {"the size oracle said nothing", ""}}};
  doc.controls = {{"ext4/4k", "baseline", "PASS", "7 oracle reads saw a zero gap"}};
  doc.notes = {"xfs/1k: could not set up: mkfs.xfs exited 1"};
  return doc;
}

TEST(SelftestJson, RoundTripsEveryRowCellReasonAndColumn) {
  const SelftestDocument doc = Sample();
  auto back = SelftestFromJson(RenderSelftestJson(doc));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->tool, doc.tool);
  EXPECT_EQ(back->kernel, doc.kernel);
  EXPECT_EQ(back->all_detected, doc.all_detected);
  EXPECT_EQ(back->setup_failed, doc.setup_failed);
  EXPECT_EQ(back->error, "");
  EXPECT_EQ(back->table.columns, doc.table.columns);
  EXPECT_EQ(back->table.column_info, doc.table.column_info);
  ASSERT_EQ(back->table.rows.size(), doc.table.rows.size());
  for (std::size_t i = 0; i < doc.table.rows.size(); ++i) {
    EXPECT_EQ(back->table.rows[i].label, doc.table.rows[i].label);
    EXPECT_EQ(back->table.rows[i].control, doc.table.rows[i].control);
    EXPECT_EQ(back->table.rows[i].cells, doc.table.rows[i].cells);
    EXPECT_EQ(back->table.rows[i].reasons, doc.table.rows[i].reasons);
  }
  EXPECT_EQ(back->controls, doc.controls);
  EXPECT_EQ(back->notes, doc.notes);
  // So the text table of what was read back is the one of what was written.
  EXPECT_EQ(RenderSelftestTable(back->table), RenderSelftestTable(doc.table));
}

TEST(SelftestJson, CellsAreNamedStates) {
  const auto json = nlohmann::ordered_json::parse(RenderSelftestJson(Sample()));
  const auto& rows = json["selftest"]["rows"];
  EXPECT_EQ(rows[0]["cells"][0]["state"], "detected");
  EXPECT_EQ(rows[0]["cells"][1]["state"], "error");
  EXPECT_EQ(rows[1]["cells"][0]["state"], "skip");
  EXPECT_EQ(rows[1]["cells"][0]["reason"], "no fsck here");
  EXPECT_EQ(rows[2]["cells"][0]["state"], "not_detected");
  EXPECT_EQ(json["selftest"]["columns"][1]["setup_error"], "mkfs.xfs exited 1");
}

TEST(SelftestJson, WhatIsNoSelftestDocumentIsAnErrorSayingWhere) {
  EXPECT_EQ(SelftestFromJson("{").error(), "the self-test's report is not JSON");
  EXPECT_EQ(SelftestFromJson(R"({"configurations": []})").error(),
            "the self-test's report has no \"selftest\" object");
  EXPECT_EQ(SelftestFromJson(R"({"selftest": {"columns": [{"name": "ext4/4k"}],
      "rows": [{"label": "x", "cells": [{"state": "maybe"}]}]}})")
                .error(),
            "selftest.rows[0].cells[0].state: 'maybe' is not one of detected, not_detected, "
            "skip, error");
  EXPECT_EQ(SelftestFromJson(R"({"selftest": {"columns": [{"name": "ext4/4k"}],
      "rows": [{"label": "x", "cells": []}]}})")
                .error(),
            "selftest.rows[0]: 0 cells for 1 columns");
  EXPECT_EQ(SelftestFromJson(R"({"selftest": {"all_detected": "yes"}})").error(),
            "selftest.all_detected: not of the expected type");
}

// The recorder keeps every event and passes each on (the text on stdout
// while the JSON goes to a file).
TEST(SelftestJson, TheRecorderKeepsEveryEventAndPassesItOn) {
  std::ostringstream text;
  SelftestTextReporter also(text);
  SelftestRecorder recorder(&also);
  oracles::Verdict pass;
  pass.outcome = oracles::Outcome::kPass;
  pass.summary = "clean";
  recorder.ControlDone("ext4/4k", "baseline", pass);
  recorder.BaselineFailed("ext4/4k", "race_baseline");
  recorder.SetupFailed("xfs/4k", "mkfs.xfs exited 1");
  recorder.Finish(Sample().table);
  const auto& doc = recorder.document();
  EXPECT_EQ(doc.controls,
            (std::vector<SelftestDocument::ControlRun>{{"ext4/4k", "baseline", "PASS", "clean"}}));
  EXPECT_EQ(doc.notes, (std::vector<std::string>{
                           "ext4/4k: the race_baseline did not pass, so the controls of its case "
                           "cannot show detection",
                           "xfs/4k: could not set up: mkfs.xfs exited 1"}));
  EXPECT_EQ(doc.table.columns, Sample().table.columns);
  EXPECT_NE(text.str().find("ext4/4k: baseline: PASS  clean\n"), std::string::npos);
  EXPECT_NE(text.str().find("oracle (phase) detects"), std::string::npos);
  SelftestRecorder alone;
  alone.RunFailed("mkdtemp: No space left on device");
  EXPECT_EQ(alone.document().error, "mkdtemp: No space left on device");
}

}  // namespace
}  // namespace eofzero::report
