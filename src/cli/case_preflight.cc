#include "cli/case_preflight.h"

#include <algorithm>

#include "engine/case_check.h"
#include "os/file_io.h"
#include "fsdriver/registry.h"
#include "scratch/fs_limits.h"

namespace eofzero::cli {

std::expected<void, std::string> PreflightCases(const suite::RunOptions& options,
                                                const std::vector<const engine::CaseSpec*>& cases) {
  for (const auto* c : cases) {
    std::vector<fsdriver::FsType> filesystems;
    for (auto fs : options.filesystems)
      if (c->filesystems.empty() ||
          std::find(c->filesystems.begin(), c->filesystems.end(), fs) != c->filesystems.end())
        filesystems.push_back(fs);
    // A case for none of them is not run (SKIP), but is still checked: on
    // what it names, with their default images.
    const bool runs = !filesystems.empty();
    if (!runs) filesystems = c->filesystems;
    for (auto fs : filesystems) {
      engine::CaseTarget target;
      target.fs = fs;
      target.block_size = c->block_size.value_or(options.block_size);
      target.page_size = os::PageSize();
      target.default_gap = options.scenario.gap_bytes;
      if (!options.scratch_target || !runs) {
        target.image_bytes = runs ? options.image_bytes : 0;
        if (!*target.image_bytes) {
          target.image_bytes = fsdriver::Driver(fs).DefaultImageBytes();
          target.image_from = "its default size; see --image-size";
        }
        if (*target.image_bytes < fsdriver::Driver(fs).MinImageBytes(target.block_size))
          return std::unexpected("--image-size: " + scratch::SizeText(*target.image_bytes) +
                                 " is too small: " + fsdriver::Driver(fs).MinImageText(target.block_size) +
                                 ", which case " + c->name + " asks for");
      }
      if (auto ok = engine::PreflightCase(*c, target); !ok) return ok;
    }
  }
  return {};
}

std::expected<void, std::string> PreflightMatrix(const std::vector<suite::MatrixJob>& jobs,
                                                 const std::vector<engine::CaseSpec>& catalog) {
  for (const auto& job : jobs) {
    suite::RunOptions worker;  // what WorkerArgs leaves at its default stays so here
    worker.filesystems = {job.entry.fs};
    worker.block_size = job.entry.block_size;
    std::vector<const engine::CaseSpec*> cases;
    for (const auto& name : job.cases)
      for (const auto& c : catalog)
        if (c.name == name) cases.push_back(&c);
    if (auto ok = PreflightCases(worker, cases); !ok)
      return std::unexpected(ok.error() + " (configuration " + job.entry.name + ")");
  }
  return {};
}

std::vector<const engine::CaseSpec*> Pointers(const std::vector<engine::CaseSpec>& cases) {
  std::vector<const engine::CaseSpec*> out;
  for (const auto& c : cases) out.push_back(&c);
  return out;
}

}  // namespace eofzero::cli
