#include <algorithm>
#include <thread>

#include "cli/validate.h"

namespace eofzero::cli {

std::expected<suite::MatrixOptions, std::string> ValidateMatrixOptions(const RawOptions& raw) {
  suite::MatrixOptions matrix;
  matrix.config = raw.matrix_config;
  std::error_code ec;
  if (!matrix.config.empty() && !std::filesystem::is_regular_file(matrix.config, ec))
    return std::unexpected("--config: " + matrix.config.string() + " is not a file");
  const unsigned cpus = std::thread::hardware_concurrency();
  matrix.jobs = cpus ? std::min(cpus, 64u) : 1;
  if (raw.jobs_given) {
    auto jobs = ParseU32("-j", raw.jobs);
    if (!jobs) return std::unexpected(jobs.error());
    if (*jobs < 1 || *jobs > 64) return std::unexpected("-j: must be 1 to 64");
    matrix.jobs = *jobs;
  }
  return matrix;
}

std::expected<std::filesystem::path, std::string> ValidateReportInput(const RawOptions& raw) {
  std::error_code ec;
  if (raw.report_input.empty())
    return std::unexpected("report: name a JSON report to render, or --merge FILE...");
  if (!std::filesystem::is_regular_file(raw.report_input, ec))
    return std::unexpected("report: " + raw.report_input + " is not a file");
  return std::filesystem::path(raw.report_input);
}

}  // namespace eofzero::cli
