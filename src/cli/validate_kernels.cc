#include <thread>

#include "cli/validate.h"

namespace eofzero::cli {

std::expected<suite::KernelsOptions, std::string> ValidateKernelsOptions(const RawOptions& raw) {
  suite::KernelsOptions o;
  if (raw.kernels.empty())
    return std::unexpected(
        "--kernel: name at least one kernel (e.g. --kernel bookworm,trixie,sid)");
  auto specs = guest::ParseKernelList(raw.kernels);
  if (!specs) return std::unexpected(specs.error());
  for (auto& spec : *specs) {
    const std::string& word = spec.text;
    std::error_code ec;
    if (spec.kind == guest::KernelSpec::Kind::kDebFile &&
        !std::filesystem::is_regular_file(spec.file, ec))
      return std::unexpected("--kernel " + word + ": no such file");
    if (spec.kind == guest::KernelSpec::Kind::kBuild) {
      if (!std::filesystem::is_regular_file(spec.file, ec))
        return std::unexpected("--kernel " + word + ": " + spec.file.string() +
                               " is not a kernel image file");
      if (!spec.modules_dir.empty() && !std::filesystem::is_directory(spec.modules_dir, ec))
        return std::unexpected("--kernel " + word + ": " + spec.modules_dir.string() +
                               " is not a folder");
    }
    o.kernels.push_back(std::move(spec));
  }
  if (!raw.shard.empty()) {
    auto shard = guest::ParseShard(raw.shard);
    if (!shard) return std::unexpected(shard.error());
    o.shard = *shard;
  }
  const unsigned cpus = std::thread::hardware_concurrency();  // the online CPUs
  o.jobs = cpus ? std::min(cpus, 64u) : 1;
  if (raw.jobs_given) {
    auto jobs = ParseU32("-j", raw.jobs);
    if (!jobs) return std::unexpected(jobs.error());
    if (*jobs < 1 || *jobs > 64) return std::unexpected("-j: must be 1 to 64");
    o.jobs = *jobs;
  }
  if (!raw.timeout.empty()) {
    auto timeout = ParseU32("--timeout", raw.timeout);
    if (!timeout) return std::unexpected(timeout.error());
    if (*timeout < 1) return std::unexpected("--timeout: must be at least 1 second");
    o.timeout_seconds = *timeout;
  }
  o.append = raw.append;
  o.cache_dir = raw.cache_dir;
  o.selftest = raw.kernels_selftest;
  if (o.selftest && (!raw.cases.empty() || !raw.cases_dirs.empty()))
    return std::unexpected(std::string(raw.cases.empty() ? "--cases-dir" : "--case") +
                           ": --selftest runs the self-test's own cases");
  if (!o.selftest && !raw.probe_case.empty())
    return std::unexpected("--probe-case: only with --selftest");
  return o;
}

std::expected<std::vector<std::filesystem::path>, std::string> ValidateReportMerge(
    const RawOptions& raw) {
  std::vector<std::filesystem::path> files;
  if (!raw.report_input.empty()) files.emplace_back(raw.report_input);
  for (const auto& f : raw.merge) files.emplace_back(f);
  for (const auto& f : files) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(f, ec))
      return std::unexpected("--merge: " + f.string() + " is not a file");
  }
  return files;
}

}  // namespace eofzero::cli
