// A RunRecord with one case of every standing, for the report tests.
#pragma once

#include "report/record.h"

namespace eofzero::report::testing {

inline CaseRecord Case(const std::string& name, oracles::Outcome outcome,
                       std::optional<std::string> expected = std::nullopt) {
  CaseRecord r;
  r.case_name = name;
  r.case_file = "/cases/" + name + ".toml";
  r.outcome = outcome;
  r.summary = name + " summary";
  r.seconds = 0.25;
  if (expected) r.expected_failure = ExpectedFailure{*expected};
  if (outcome == oracles::Outcome::kFail) {
    r.evidence = "    evidence of " + name + " <&>\n";
    r.findings = {"gap"};
  }
  if (outcome == oracles::Outcome::kSkip) r.reason = "the case is for xfs";
  if (outcome == oracles::Outcome::kError) r.reason = "mkfs failed";
  r.detail = {{"oracles", nlohmann::ordered_json::array({{{"oracle", "raw-device"}, {"nonzero", 16}}})}};
  return r;
}

// ext4-4k: pass, new FAIL, skip, ERROR; xfs-4k: xfail, XPASS, and no "skipped_case".
inline RunRecord SampleRecord() {
  using oracles::Outcome;
  RunRecord record;
  record.kernel = "6.18.0 x86_64";
  record.started = "2026-11-23T10:00:00Z";
  record.seconds = 2.5;
  ConfigRecord ext4;
  ext4.config = {"ext4", 4096, "mkfs.ext4 -F /dev/loop9", "", "/dev/loop9", "ext4-4k"};
  ext4.cases = {Case("truncate_up", Outcome::kPass), Case("append_write", Outcome::kFail),
                Case("reflink_extend", Outcome::kSkip), Case("fallocate", Outcome::kError)};
  ConfigRecord xfs;
  xfs.config = {"xfs", 4096, "mkfs.xfs -f /dev/loop8", "noatime", "/dev/loop8", "xfs-4k"};
  xfs.cases = {Case("append_write", Outcome::kFail, "xfs tail"),
               Case("truncate_up", Outcome::kPass, "a stale declaration")};
  record.configs = {ext4, xfs};
  return record;
}

// A run that SIGINT stopped in ext4-4k's second case: ext4-4k: truncate_up
// passed, append_write and fallocate did not run; xfs-4k: neither case ran.
inline RunRecord InterruptedRecord() {
  using oracles::Outcome;
  RunRecord record;
  record.kernel = "6.18.0 x86_64";
  record.started = "2026-11-23T10:00:00Z";
  record.seconds = 1.25;
  record.interrupted_by = 2;  // SIGINT
  const std::string why = Interruption(2);
  ConfigRecord ext4;
  ext4.config = {"ext4", 4096, "mkfs.ext4 -F /dev/loop9", "", "/dev/loop9", "ext4-4k"};
  ext4.cases = {Case("truncate_up", Outcome::kPass), NotRunRecord("append_write", why),
                NotRunRecord("fallocate", why)};
  ConfigRecord xfs;
  xfs.config = {"xfs", 4096, "", "", "", "xfs-4k"};
  xfs.cases = {NotRunRecord("append_write", why), NotRunRecord("truncate_up", why)};
  record.configs = {ext4, xfs};
  return record;
}

}  // namespace eofzero::report::testing
