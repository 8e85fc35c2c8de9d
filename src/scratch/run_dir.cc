#include "scratch/run_dir.h"

#include <spdlog/spdlog.h>
#include <stdlib.h>

namespace eofzero::scratch {

os::Result<RunDir> RunDir::Create(const std::filesystem::path& parent) {
  std::string tmpl = (parent / "eofzero.XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) return os::FailErrno("mkdtemp " + tmpl);
  return RunDir(tmpl);
}

RunDir::~RunDir() {
  if (path_.empty()) return;
  std::error_code ec;
  if (!std::filesystem::remove(path_, ec) && ec)
    spdlog::warn("left {} in place: {}", path_.string(), ec.message());
}

}  // namespace eofzero::scratch
