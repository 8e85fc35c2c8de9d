// RunDir: the private folder a run keeps its images and mount points in,
// made with mkdtemp under the user's --workdir and removed at the end (left
// in place, with a warning, when it still holds a kept image).
#pragma once

#include <filesystem>

#include "os/error.h"

namespace eofzero::scratch {

class RunDir {
 public:
  static os::Result<RunDir> Create(const std::filesystem::path& parent);
  RunDir(RunDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  RunDir& operator=(RunDir&&) = delete;
  ~RunDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  explicit RunDir(std::filesystem::path p) : path_(std::move(p)) {}
  std::filesystem::path path_;
};

}  // namespace eofzero::scratch
