// Where eofzero finds the data it ships with: the case catalog and the
// default matrix file.
//
// An installed eofzero (PREFIX/bin/eofzero, from `cmake --install` or the
// Debian package) reads PREFIX/share/eofzero/, found from the path of its
// own executable (/proc/self/exe), so a prefix that is moved keeps working.
// The binary a build tree made, run where it was built, reads the source
// tree it was built from (cases/, scripts/matrix.toml). Any other copy of
// the binary has no data: it never falls back to a checkout, and a missing
// catalog is an error that names where it looked. $EOFZERO_CASES_DIR names
// another catalog.
#pragma once

#include <expected>
#include <filesystem>
#include <string>

#include "cli/fstests_env.h"

namespace eofzero::cli {

// The paths the build compiled in.
struct BuildPaths {
  std::filesystem::path binary;         // the build tree's own eofzero
  std::filesystem::path source_dir;     // the source tree it was built from
  std::filesystem::path data_from_bin;  // an installation's data folder, relative
                                        // to its bin/ folder ("../share/eofzero")
};
BuildPaths CompiledInPaths();

// Where one executable's data is; the paths need not exist.
struct DataDir {
  std::filesystem::path cases_dir;    // the case catalog
  std::filesystem::path matrix_file;  // the default of `eofzero matrix --config`
  std::string owner;                  // whose data it is, for messages
};

// The data of the executable at `exe` (an absolute path): the source tree's
// when `exe` is the build tree's binary itself (the same file), else the
// installation's next to it. Reads nothing but the two files' identities.
DataDir DataDirFor(const std::filesystem::path& exe, const BuildPaths& build);

// The catalog folder: $EOFZERO_CASES_DIR when set (and not empty), else
// data.cases_dir. The error (one line, the tool's fault: exit 3) says which
// folder is missing and why it looked there.
std::expected<std::filesystem::path, std::string> FindCatalog(const DataDir& data,
                                                              const EnvLookup& env);
// The default matrix file, or an error (exit 3) naming where it looked.
std::expected<std::filesystem::path, std::string> FindMatrixFile(const DataDir& data);

// The data of this running program: its /proc/self/exe with CompiledInPaths().
std::expected<DataDir, std::string> DataDirOfThisProgram();

}  // namespace eofzero::cli
