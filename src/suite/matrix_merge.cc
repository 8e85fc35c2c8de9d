#include "suite/matrix_merge.h"

#include <fmt/format.h>

#include <deque>
#include <fstream>

#include "report/json_report.h"
#include "fsdriver/registry.h"

namespace eofzero::suite {
report::ConfigRecord MergeWorker(const MatrixJob& job, const report::RunRecord* worker,
                                 const std::string& why_missing) {
  report::ConfigRecord merged;
  merged.config.name = job.entry.name;
  merged.config.fs = std::string(fsdriver::FsTypeName(job.entry.fs));
  merged.config.block_size = job.entry.block_size;
  merged.config.mount_options = job.entry.mount_options;
  std::vector<std::string> errors;
  for (const auto& c : worker ? worker->configs : std::vector<report::ConfigRecord>{}) {
    if (c.config.block_size == job.entry.block_size || merged.config.mkfs_command.empty()) {
      merged.config = c.config;
      merged.config.name = job.entry.name;
    }
    if (!c.setup_error.empty()) errors.push_back(c.setup_error);
    merged.cases.insert(merged.cases.end(), c.cases.begin(), c.cases.end());
  }
  merged.setup_error = fmt::to_string(fmt::join(errors, "; "));
  for (const auto& name : job.cases) {
    bool reported = false;
    for (const auto& r : merged.cases) reported |= r.case_name == name;
    if (!reported) merged.cases.push_back(report::NotRunRecord(name, why_missing));
  }
  for (auto& r : merged.cases)
    if (auto it = job.entry.expected_failures.find(r.case_name);
        it != job.entry.expected_failures.end())
      r.expected_failure = it->second;
  return merged;
}

std::expected<report::RunRecord, std::string> ReadWorkerReport(const std::filesystem::path& json) {
  auto record = report::LoadJsonReport(json);
  if (record) return std::move(*record);
  switch (record.error().kind) {
    case report::JsonReportError::Kind::kUnreadable:
      return std::unexpected("it wrote no report");
    case report::JsonReportError::Kind::kNotJson:
      return std::unexpected("its report is not JSON");
    case report::JsonReportError::Kind::kNotAReport:
      break;
  }
  return std::unexpected("its report: " + record.error().message);
}

std::string LogTail(const std::filesystem::path& log, std::size_t lines) {
  std::ifstream in(log);
  std::deque<std::string> last;
  for (std::string line; std::getline(in, line);) {
    last.push_back(line);
    if (last.size() > lines) last.pop_front();
  }
  return fmt::to_string(fmt::join(last.begin(), last.end(), " | "));
}

}  // namespace eofzero::suite
