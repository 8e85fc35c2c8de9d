#include "scratch/run_dir.h"

#include <spdlog/spdlog.h>
#include <stdlib.h>

#include "os/file_io.h"

namespace eofzero::scratch {

os::Result<RunDir> RunDir::Create(const std::filesystem::path& parent) {
  std::string tmpl = (parent / "eofzero.XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) return os::FailErrno("mkdtemp " + tmpl);
  return RunDir(tmpl);
}

RunDir::~RunDir() {
  if (path_.empty()) return;
  if (keep_) {
    spdlog::warn("kept {} for post-mortem", path_.string());
    return;
  }
  auto removed = os::RemoveTreeOnItsFilesystem(path_);
  std::error_code ec;
  if (!removed || std::filesystem::exists(path_, ec))
    spdlog::warn("left {} in place: {}", path_.string(),
                 removed ? "something in it could not be removed" : removed.error().Message());
}

os::Result<RunSpace> OpenRunSpace(const std::filesystem::path& workdir, bool with_folder) {
  RunSpace space;
  EOFZERO_ASSIGN_OR_RETURN(space.lease, RunLease::Create(RegistryDir()));
  if (!with_folder) return space;
  EOFZERO_ASSIGN_OR_RETURN(RunDir dir, RunDir::Create(workdir));
  space.dir.emplace(std::move(dir));
  EOFZERO_RETURN_IF_ERROR(space.lease->NoteRunDir(space.dir->path()));
  return space;
}

}  // namespace eofzero::scratch
