#include "suite/matrix_plan.h"

#include <fmt/format.h>

#include "fsdriver/registry.h"

namespace eofzero::suite {

std::expected<std::vector<MatrixJob>, std::string> PlanMatrix(
    const std::filesystem::path& file, const std::vector<engine::CaseSpec>& catalog) {
  auto matrix = LoadMatrixFile(file);
  if (!matrix) return std::unexpected(matrix.error());
  std::vector<MatrixJob> jobs;
  for (const auto& entry : matrix->configs) {
    auto cases = CasesFor(*matrix, entry, catalog);
    if (!cases) return std::unexpected(cases.error());
    MatrixJob job{entry, {}};
    for (const auto* c : *cases) job.cases.push_back(c->name);
    jobs.push_back(std::move(job));
  }
  return jobs;
}

std::vector<std::string> WorkerArgs(const MatrixJob& job, const RunOptions& options,
                                    const std::filesystem::path& workdir,
                                    const std::filesystem::path& json_out) {
  std::vector<std::string> args = {"run",
                                   "--worker",
                                   "--config-name=" + job.entry.name,
                                   "--fs=" + std::string(fsdriver::FsTypeName(job.entry.fs)),
                                   "--block-size=" + std::to_string(job.entry.block_size),
                                   "--case=" + fmt::to_string(fmt::join(job.cases, ",")),
                                   "--workdir=" + workdir.string(),
                                   "--format=json",
                                   "--output=" + json_out.string(),
                                   "-v"};
  // (CLI11 takes "--opt=" with an empty value as "--opt" followed by the next word.)
  if (!job.entry.mkfs_options.empty()) args.push_back("--mkfs-options=" + job.entry.mkfs_options);
  if (!job.entry.mount_options.empty())
    args.push_back("--mount-options=" + job.entry.mount_options);
  for (const auto& dir : options.cases_dirs) args.push_back("--cases-dir=" + dir.string());
  if (options.keep) args.push_back("--keep");
  return args;
}

}  // namespace eofzero::suite
