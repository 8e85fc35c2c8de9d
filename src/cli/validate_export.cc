#include "cli/validate.h"

namespace eofzero::cli {

std::expected<ExportPaths, std::string> ValidateExportOptions(const RawOptions& raw) {
  std::error_code ec;
  if (raw.report_input.empty()) return std::unexpected("export: name a JSON report of run");
  if (!std::filesystem::is_regular_file(raw.report_input, ec))
    return std::unexpected("export: " + raw.report_input + " is not a file");
  if (raw.export_dir.empty()) return std::unexpected("export: --output-dir DIR is required");
  const std::filesystem::path dir = raw.export_dir;
  const auto parent = dir.has_parent_path() ? dir.parent_path() : ".";
  if (!std::filesystem::is_directory(parent, ec))
    return std::unexpected("--output-dir: " + parent.string() + " is not a directory");
  const auto status = std::filesystem::symlink_status(dir, ec);
  if (std::filesystem::exists(status) && !std::filesystem::is_directory(status))
    return std::unexpected("--output-dir: " + raw.export_dir + " exists and is not a directory");
  return ExportPaths{raw.report_input, dir};
}

}  // namespace eofzero::cli
