#include "cli/names.h"
#include "cli/validate.h"
#include "os/user_files.h"

namespace eofzero::cli {

std::expected<void, std::string> ValidateReportOptions(const RawOptions& raw, bool run_command,
                                                       suite::RunOptions& o) {
  auto format = report::ParseReportFormat(raw.format);
  if (!format)
    return std::unexpected("--format: '" + raw.format + "' is not one of " +
                           ListNames(ReportFormatNames()));
  o.format = *format;
  if (o.format == report::ReportFormat::kFstests && !raw.output.empty())
    return std::unexpected("--output: the fstests format is for stdout only");
  if (!raw.output.empty()) {
    o.output = raw.output;
    const auto parent = o.output.has_parent_path() ? o.output.parent_path() : ".";
    std::error_code ec;
    if (!std::filesystem::is_directory(parent, ec))
      return std::unexpected("--output: " + parent.string() + " is not a directory");
    if (std::filesystem::is_directory(o.output, ec))
      return std::unexpected("--output: " + raw.output + " is a directory");
    // Never a FIFO (the open would wait for a reader), a device, a symbolic
    // link or a file with another name: refused now, before anything is
    // built, and again by the open that writes it.
    if (auto writable = os::CheckOutputFile(o.output); !writable)
      return std::unexpected("--output: " + writable.error().Message());
  }
  if (!run_command && o.format == report::ReportFormat::kFstests)
    return std::unexpected("--format: fstests is for `eofzero run` only");
  return {};
}

}  // namespace eofzero::cli
