// Sample matrix jobs and case records for the suite's unit tests.
#pragma once

#include <string>

#include "oracles/verdict.h"
#include "report/record.h"
#include "suite/matrix_plan.h"

namespace eofzero::suite::samples {

inline MatrixJob Job() {
  MatrixJob job;
  job.entry.name = "ext4-nodelalloc";
  job.entry.fs = fsdriver::FsType::kExt4;
  job.entry.mount_options = "nodelalloc";
  job.entry.expected_failures = {{"append_write", {"known"}}};
  job.cases = {"append_write", "truncate_up", "truncate_up_1k"};
  return job;
}

inline report::CaseRecord Case(const std::string& name, oracles::Outcome outcome) {
  report::CaseRecord r;
  r.case_name = name;
  r.outcome = outcome;
  if (outcome == oracles::Outcome::kFail) r.findings = {"gap"};
  return r;
}

}  // namespace eofzero::suite::samples
