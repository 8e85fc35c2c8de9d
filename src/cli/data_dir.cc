#include "cli/data_dir.h"

#include "os/child.h"

// Set by CMakeLists.txt for this file only; the fallbacks are for a build
// without them (which then has no build-tree data).
#ifndef EOFZERO_BUILD_BINARY
#define EOFZERO_BUILD_BINARY ""
#endif
#ifndef EOFZERO_SOURCE_DIR
#define EOFZERO_SOURCE_DIR ""
#endif
#ifndef EOFZERO_DATA_FROM_BIN
#define EOFZERO_DATA_FROM_BIN "../share/eofzero"
#endif

namespace eofzero::cli {

namespace fs = std::filesystem;

BuildPaths CompiledInPaths() {
  return {EOFZERO_BUILD_BINARY, EOFZERO_SOURCE_DIR, EOFZERO_DATA_FROM_BIN};
}

DataDir DataDirFor(const fs::path& exe, const BuildPaths& build) {
  // The same file, not the same name: the build tree may be reached through
  // a symlink. A copy or an installed binary is another file.
  std::error_code ec;
  if (!build.binary.empty() && fs::equivalent(exe, build.binary, ec))
    return {build.source_dir / "cases", build.source_dir / "scripts" / "matrix.toml",
            "the source tree of the build tree's " + exe.string()};
  const fs::path data = (exe.parent_path() / build.data_from_bin).lexically_normal();
  return {data / "cases", data / "matrix.toml", "installed with " + exe.string()};
}

std::expected<fs::path, std::string> FindCatalog(const DataDir& data, const EnvLookup& env) {
  std::error_code ec;
  if (auto dir = env("EOFZERO_CASES_DIR"); dir && !dir->empty()) {
    if (fs::is_directory(*dir, ec)) return fs::path(*dir);
    return std::unexpected("cannot find the case catalog: $EOFZERO_CASES_DIR (" + *dir +
                           ") is not a folder");
  }
  if (fs::is_directory(data.cases_dir, ec)) return data.cases_dir;
  return std::unexpected("cannot find the case catalog: " + data.cases_dir.string() +
                         " is not a folder (the catalog " + data.owner +
                         "; $EOFZERO_CASES_DIR names another)");
}

std::expected<fs::path, std::string> FindMatrixFile(const DataDir& data) {
  std::error_code ec;
  if (fs::is_regular_file(data.matrix_file, ec)) return data.matrix_file;
  return std::unexpected("cannot find the shipped matrix file: " + data.matrix_file.string() +
                         " is not a file (the matrix file " + data.owner +
                         "; --config names another)");
}

std::expected<DataDir, std::string> DataDirOfThisProgram() {
  auto exe = os::SelfExecutable();
  if (!exe) return std::unexpected("cannot find eofzero's data: " + exe.error().Message());
  return DataDirFor(*exe, CompiledInPaths());
}

}  // namespace eofzero::cli
