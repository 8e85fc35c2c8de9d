// `eofzero list`: a line per case — "* " for the default suite, its name,
// what it needs ("[xfs bs=1024]") and its purpose — then how many there are
// and which folders they came from.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/case_spec.h"

namespace eofzero::report {

std::string RenderCaseList(const std::vector<engine::CaseSpec>& cases,
                           const std::filesystem::path& catalog,
                           const std::vector<std::filesystem::path>& cases_dirs);

// The case language's steps as a markdown table (`list --steps`, and the
// table in docs/cases.md): usage, where it comes from (xfs_io, with eofzero's own
// flags named, or eofzero), what it does.
std::string RenderStepTable();

}  // namespace eofzero::report
