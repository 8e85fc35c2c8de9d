// What `eofzero export` takes from a saved JSON report (pure, but for the
// catalog files it may read through `read_own`): for each case to export,
// the case as it ran and where (explore/export.h's ExportCase), its verdict
// (ExportFinding), the folder it goes to, or why it cannot be exported.
#pragma once

#include <expected>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "explore/export.h"
#include "report/record.h"

namespace eofzero::explore {

struct ExportItem {
  std::string folder;  // the finding's folder, and the exported case's name
  std::string config;  // "xfs bs=4096" (the configuration's label)
  ExportCase c;
  ExportFinding f;
  std::string refused;  // non-empty: why this case cannot be exported (one line)
};

// A catalog file's text, when it can be read (nullopt: not).
using ReadOwnText = std::function<std::optional<std::string>(const std::filesystem::path&)>;

// Every FAIL of `record`; with `names`, every case of those names whatever
// its verdict (a PASS exports a reproducer that must pass). The error is one
// line: a name that is in no configuration.
std::expected<std::vector<ExportItem>, std::string> ExportItems(
    const report::RunRecord& record, const std::vector<std::string>& names,
    const ReadOwnText& read_own);

// The folder name of a case of a configuration: "xfs-4k-append_write" (the
// configuration's name when it has one), a plain name of at most 64
// characters (longer ones end in a hash), never one of `taken`.
std::string FolderName(const report::ConfigInfo& config, const std::string& case_name,
                       const std::vector<std::string>& taken);

// mkfs's argv from the configuration's mkfs command line, less the device and
// eofzero's own UUID; and the options of those --mkfs-options added.
struct MkfsWords {
  std::vector<std::string> argv;
  std::vector<std::string> extra;
};
MkfsWords MkfsWordsOf(const std::string& fs, const std::string& mkfs_command);

}  // namespace eofzero::explore
