#include "cli/validate.h"

#include <gtest/gtest.h>

namespace eofzero::cli {
namespace {

TEST(ValidateReportOptions, FstestsIsForRunAndStdoutOnly) {
  RawOptions raw;
  suite::RunOptions o;
  raw.format = "fstests";
  EXPECT_TRUE(ValidateReportOptions(raw, /*run_command=*/true, o));
  EXPECT_EQ(o.format, report::ReportFormat::kFstests);
  EXPECT_EQ(ValidateReportOptions(raw, false, o).error(),
            "--format: fstests is for `eofzero run` only");
  raw.output = "out.txt";
  EXPECT_EQ(ValidateReportOptions(raw, true, o).error(),
            "--output: the fstests format is for stdout only");
  raw.format = "yaml";
  EXPECT_EQ(ValidateReportOptions(raw, true, o).error(),
            "--format: 'yaml' is not one of human, json, junit, markdown, fstests");
}

TEST(ValidateFilesystems, KnownOnceEachAndAtLeastOne) {
  RawOptions raw;
  suite::RunOptions o;
  raw.fs = {"xfs"};
  ASSERT_TRUE(ValidateFilesystems(raw, o));
  EXPECT_EQ(o.filesystems, (std::vector{fsdriver::FsType::kXfs}));
  raw.fs = {"xfs", "xfs"};
  EXPECT_EQ(ValidateFilesystems(raw, o).error(), "--fs: xfs given twice");
  raw.fs = {};
  EXPECT_EQ(ValidateFilesystems(raw, o).error(), "--fs: no filesystem given");
}

TEST(ValidateMatrixOptions, JobsFromOneTo64AndAConfigThatIsAFile) {
  RawOptions raw;
  raw.jobs_given = true;
  raw.jobs = "64";
  ASSERT_TRUE(ValidateMatrixOptions(raw));
  EXPECT_EQ(ValidateMatrixOptions(raw)->jobs, 64u);
  raw.jobs = "65";
  EXPECT_EQ(ValidateMatrixOptions(raw).error(), "-j: must be 1 to 64");
  raw.jobs = "two";
  EXPECT_EQ(ValidateMatrixOptions(raw).error(), "-j: 'two' is not a whole number");
  raw.jobs_given = false;
  raw.matrix_config = EOFZERO_SOURCE_DIR "/cases";
  EXPECT_EQ(ValidateMatrixOptions(raw).error(),
            "--config: " EOFZERO_SOURCE_DIR "/cases is not a file");
}

TEST(ValidateExportOptions, AReportFileAndAnOutputDirWhoseFolderExists) {
  RawOptions raw;
  EXPECT_EQ(ValidateExportOptions(raw).error(), "export: name a JSON report of run");
  raw.report_input = EOFZERO_SOURCE_DIR "/cases";
  EXPECT_EQ(ValidateExportOptions(raw).error(),
            "export: " EOFZERO_SOURCE_DIR "/cases is not a file");
  raw.report_input = EOFZERO_SOURCE_DIR "/README.md";
  EXPECT_EQ(ValidateExportOptions(raw).error(), "export: --output-dir DIR is required");
  raw.export_dir = "/nonexistent-eofzero/out";
  EXPECT_EQ(ValidateExportOptions(raw).error(),
            "--output-dir: /nonexistent-eofzero is not a directory");
  raw.export_dir = EOFZERO_SOURCE_DIR "/README.md";
  EXPECT_EQ(ValidateExportOptions(raw).error(),
            "--output-dir: " EOFZERO_SOURCE_DIR "/README.md exists and is not a directory");
  raw.export_dir = EOFZERO_SOURCE_DIR "/new-folder";
  ASSERT_TRUE(ValidateExportOptions(raw));
  EXPECT_EQ(ValidateExportOptions(raw)->dir, EOFZERO_SOURCE_DIR "/new-folder");
}

}  // namespace
}  // namespace eofzero::cli
