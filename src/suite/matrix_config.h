// A matrix file (TOML): the filesystem configurations `eofzero matrix` runs
// the cases on, each on its own loop devices, and the failures each
// configuration is known to have. Parsed and checked before anything is
// built; every error is one line "FILE:LINE: message".
//
//   cases = ["*"]                 # globs; default: the default suite
//   [[config]]
//   name = "ext4-bigalloc"        # unique: up to 64 letters, digits, - _ .
//   fs = "ext4"
//   block_size = 4096             # default 4096 (or what mkfs_options set)
//   mkfs_options = "-O bigalloc"  # appended to the tool's own
//   mount_options = ""            # mount(2) data; "" = the kernel's defaults
//   cases = ["append_*"]          # optional: replaces the top-level list
//   [config.expected_failures]    # case = "why (a link to the bug report)"
//   dio_append_aligned = "ext4 relies on a zero on-disk tail"   # covers gap findings
//   # or: case = { reason = "why", findings = ["gap", "size"] }   # (gap size fsck
//   #     disagreement views): a failure with a finding of another kind is new
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "engine/case_spec.h"
#include "report/record.h"
#include "fsdriver/registry.h"

namespace eofzero::suite {

struct MatrixEntry {
  std::string name;
  fsdriver::FsType fs = fsdriver::kInitialFsType;
  std::uint32_t block_size = 4096;
  std::string mkfs_options;
  std::string mount_options;
  std::vector<std::string> cases;                                    // globs; empty: the matrix's
  std::map<std::string, report::ExpectedFailure> expected_failures;  // by case
  int line = 0;                                                      // of its [[config]] header
};

struct MatrixConfig {
  std::string file;
  std::vector<std::string> cases;  // globs; empty: the default suite
  std::vector<MatrixEntry> configs;
};

std::expected<MatrixConfig, std::string> ParseMatrixText(const std::string& text,
                                                         const std::string& file);
std::expected<MatrixConfig, std::string> LoadMatrixFile(const std::filesystem::path& path);

// The cases one configuration runs, resolved against the loaded catalog:
// those its globs select, but not a case made for another block size.
// An error (FILE:LINE) when a glob matches nothing, or an expected failure
// names a case the configuration does not run (a typo would hide a finding).
std::expected<std::vector<const engine::CaseSpec*>, std::string> CasesFor(
    const MatrixConfig& matrix, const MatrixEntry& entry,
    const std::vector<engine::CaseSpec>& catalog);

}  // namespace eofzero::suite
