// RunDir: the private folder a run keeps its images, mount points and
// workers' reports in, made with mkdtemp under the user's --workdir and
// removed with everything in it at the end (never crossing into a
// filesystem mounted below it) — unless Keep() was called (--keep).
#pragma once

#include <filesystem>
#include <memory>
#include <optional>

#include "os/error.h"
#include "scratch/run_registry.h"

namespace eofzero::scratch {

class RunDir {
 public:
  static os::Result<RunDir> Create(const std::filesystem::path& parent);
  RunDir(RunDir&& other) noexcept : path_(std::move(other.path_)), keep_(other.keep_) {
    other.path_.clear();
  }
  RunDir& operator=(RunDir&&) = delete;
  ~RunDir();
  const std::filesystem::path& path() const { return path_; }
  // Leave the folder and what is in it at the end, for a post-mortem.
  void Keep() { keep_ = true; }

 private:
  explicit RunDir(std::filesystem::path p) : path_(std::move(p)) {}
  std::filesystem::path path_;
  bool keep_ = false;
};

// What a run stands on: its lease in the registry, taken first so that
// everything after it is released even if the run is killed, and (unless it
// works on a user's scratch device) its private folder under `workdir`. The
// folder goes before the lease.
struct RunSpace {
  std::unique_ptr<RunLease> lease;
  std::optional<RunDir> dir;
};
os::Result<RunSpace> OpenRunSpace(const std::filesystem::path& workdir, bool with_folder);

}  // namespace eofzero::scratch
