// `eofzero export REPORT.json [--case NAME,...] --output-dir DIR`: each FAIL
// of a saved run report (or each case named, whatever its verdict) as a
// folder of DIR: NAME.toml, repro.sh, fstests/NNN, fstests/NNN.out,
// report.md (explore/export.h). Everything is read and rendered first: bad
// input is one line and exit 2 with nothing written; every file is new
// (os::PendingFile: named only when whole, never over anything).
#include <iostream>

#include "cli/command_setup.h"
#include "cli/commands.h"
#include "explore/export_input.h"
#include "os/file_io.h"
#include "os/user_files.h"
#include "report/json_report.h"
#include "suite/exit_status.h"
#include "suite/explore_run.h"

namespace eofzero::cli {
namespace {

namespace fs = std::filesystem;

struct Folder {
  std::string name;
  explore::Exported files;
};

}  // namespace

int ExportCommand(const Invocation& inv) {
  const std::string report_name = inv.export_input.string();
  auto record = report::LoadJsonReport(inv.export_input);
  if (!record) {
    const auto& e = record.error();
    return ExitWith({suite::kExitUsage,
                     report_name + ": " +
                         (e.kind == report::JsonReportError::Kind::kNotAReport ? e.message
                                                                               : "not JSON")});
  }
  auto read_own = [](const fs::path& file) -> std::optional<std::string> {
    auto text = os::ReadRegularFile(file, engine::kMaxCaseFileBytes);
    return text ? std::optional(*text) : std::nullopt;
  };
  auto items = explore::ExportItems(*record, inv.run.cases, read_own);
  if (!items) return ExitWith({suite::kExitUsage, report_name + ": " + items.error()});
  if (items->empty()) {
    std::cout << report_name << ": no FAIL to export (name cases with --case to export them "
              << "whatever their verdict)\n";
    return suite::kExitPass;
  }
  std::vector<Folder> folders;
  std::vector<std::string> refused;
  for (auto& item : *items) {
    if (item.refused.empty()) {
      auto files = explore::ExportFindingFiles(item.c, item.f, item.folder);
      if (files) {
        folders.push_back({item.folder, std::move(*files)});
        continue;
      }
      item.refused = files.error();
    }
    refused.push_back(item.c.case_name + " (" + item.config + ") cannot be exported: " +
                      item.refused);
  }
  // A case named is wanted: one that cannot be exported is the command's error.
  if (!refused.empty() && (!inv.run.cases.empty() || folders.empty()))
    return ExitWith({suite::kExitUsage, report_name + ": " + refused.front()});
  for (const auto& f : folders) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(inv.export_dir / f.name, ec)))
      return ExitWith({suite::kExitUsage, "--output-dir: " + (inv.export_dir / f.name).string() +
                                              " exists (never overwritten)"});
  }
  for (const auto& why : refused) std::cerr << "eofzero: " << report_name << ": " << why << "\n";
  if (auto made = os::MakeDirectory(inv.export_dir); !made)
    return ExitWith({suite::kExitToolError, "--output-dir: " + made.error().Message()});
  for (const auto& f : folders) {
    if (auto written = suite::WriteExportFolder(inv.export_dir, f.name, f.files); !written)
      return ExitWith({suite::kExitToolError, written.error().Message()});
    std::cout << "exported " << (inv.export_dir / f.name).string() << ": " << f.files.name
              << ".toml, repro.sh, fstests/NNN, fstests/NNN.out, report.md\n";
  }
  return suite::kExitPass;
}

}  // namespace eofzero::cli
