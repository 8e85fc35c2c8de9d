// Case files: TOML metadata plus a block of xfs_io-style steps, e.g.
//
//   name = "truncate_up"
//   purpose = "ftruncate up to two blocks; the gap must be zeroed and persist"
//   steps = '''
//   pwrite -S 0x5a 0 {eob}
//   ...
//   '''
//
// Loading reads files only; every error is "FILE:LINE: message".
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/case_spec.h"

namespace eofzero::engine {

// Parses and validates one case from `text`; `file` names it in errors and
// must be NAME.toml for the case called NAME.
std::expected<CaseSpec, std::string> ParseCaseText(const std::string& text,
                                                   const std::string& file);
std::expected<CaseSpec, std::string> LoadCaseFile(const std::filesystem::path& file);

// Every *.toml in each directory, in name order; a name defined twice is an error.
std::expected<std::vector<CaseSpec>, std::string> LoadCaseDirs(
    const std::vector<std::filesystem::path>& dirs);

// Cases whose name matches any of the shell globs (fnmatch); an empty list
// selects the default suite. A glob that matches nothing is an error.
std::expected<std::vector<const CaseSpec*>, std::string> SelectCases(
    const std::vector<CaseSpec>& all, const std::vector<std::string>& globs);

}  // namespace eofzero::engine
