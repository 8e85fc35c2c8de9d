#include "cli/data_dir.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "cli/env_stub.h"

namespace eofzero::cli {
namespace {

namespace fs = std::filesystem;

// A private folder under $TMPDIR (or /tmp), removed at the end, holding a
// build tree, its source tree and installations made of empty files.
class DataDirTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "eofzero-data-dir.XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    root_ = tmpl;
    build_ = {File("build/eofzero"), root_ / "src", "../share/eofzero"};
  }
  void TearDown() override {
    std::error_code ec;
    if (!root_.empty()) fs::remove_all(root_, ec);
  }

  fs::path File(const std::string& relative) const {
    const fs::path p = root_ / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << "";
    return p;
  }
  // PREFIX/bin/eofzero with PREFIX/share/eofzero/{cases/,matrix.toml}.
  fs::path Install(const std::string& prefix) const {
    fs::create_directories(root_ / prefix / "share" / "eofzero" / "cases");
    File(prefix + "/share/eofzero/matrix.toml");
    return File(prefix + "/bin/eofzero");
  }

  fs::path root_;
  BuildPaths build_;
};

TEST_F(DataDirTest, AnInstalledBinaryReadsTheShareFolderNextToIt) {
  const fs::path exe = Install("prefix");
  DataDir data = DataDirFor(exe, build_);
  EXPECT_EQ(data.cases_dir, root_ / "prefix" / "share" / "eofzero" / "cases");
  EXPECT_EQ(data.matrix_file, root_ / "prefix" / "share" / "eofzero" / "matrix.toml");
  EXPECT_EQ(FindCatalog(data, stub::Env({})), data.cases_dir);
  EXPECT_EQ(FindMatrixFile(data), data.matrix_file);
}

TEST_F(DataDirTest, AMovedPrefixTakesItsDataAlong) {
  Install("prefix");
  fs::rename(root_ / "prefix", root_ / "moved");
  DataDir data = DataDirFor(root_ / "moved" / "bin" / "eofzero", build_);
  EXPECT_EQ(FindCatalog(data, stub::Env({})), root_ / "moved" / "share" / "eofzero" / "cases");
  EXPECT_EQ(FindMatrixFile(data), root_ / "moved" / "share" / "eofzero" / "matrix.toml");
}

TEST_F(DataDirTest, TheBuildTreesOwnBinaryReadsItsSourceTree) {
  fs::create_directories(root_ / "src" / "cases");
  File("src/scripts/matrix.toml");
  // Also when the build tree is reached by another name (a symlink).
  fs::create_directory_symlink(root_ / "build", root_ / "link");
  for (const fs::path& exe : {build_.binary, root_ / "link" / "eofzero"}) {
    DataDir data = DataDirFor(exe, build_);
    EXPECT_EQ(FindCatalog(data, stub::Env({})), root_ / "src" / "cases") << exe;
    EXPECT_EQ(FindMatrixFile(data), root_ / "src" / "scripts" / "matrix.toml") << exe;
  }
}

TEST_F(DataDirTest, ACopyOfTheBinaryNeverFallsBackToTheSourceTree) {
  fs::create_directories(root_ / "src" / "cases");
  File("src/scripts/matrix.toml");
  const fs::path copy = File("elsewhere/bin/eofzero");
  DataDir data = DataDirFor(copy, build_);
  const std::string looked = (root_ / "elsewhere" / "share" / "eofzero" / "cases").string();
  auto catalog = FindCatalog(data, stub::Env({}));
  ASSERT_FALSE(catalog) << *catalog;
  EXPECT_EQ(catalog.error(), "cannot find the case catalog: " + looked +
                                 " is not a folder (the catalog installed with " + copy.string() +
                                 "; $EOFZERO_CASES_DIR names another)");
  auto matrix = FindMatrixFile(data);
  ASSERT_FALSE(matrix) << *matrix;
  EXPECT_NE(matrix.error().find(" " + (root_ / "elsewhere/share/eofzero/matrix.toml").string() +
                                " is not a file"),
            std::string::npos)
      << matrix.error();
}

TEST_F(DataDirTest, EofzeroCasesDirNamesTheCatalog) {
  const fs::path exe = Install("prefix");
  fs::create_directories(root_ / "mine");
  DataDir data = DataDirFor(exe, build_);
  const std::string mine = (root_ / "mine").string();
  EXPECT_EQ(FindCatalog(data, stub::Env({{"EOFZERO_CASES_DIR", mine}})), root_ / "mine");
  EXPECT_EQ(FindCatalog(data, stub::Env({{"EOFZERO_CASES_DIR", ""}})), data.cases_dir)
      << "empty is unset";
  auto missing = FindCatalog(data, stub::Env({{"EOFZERO_CASES_DIR", mine + "/no"}}));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error(),
            "cannot find the case catalog: $EOFZERO_CASES_DIR (" + mine + "/no) is not a folder");
}

TEST(CompiledInPaths, NameThisBuildsBinaryAndSourceTree) {
  const BuildPaths build = CompiledInPaths();
  EXPECT_EQ(build.binary.filename(), "eofzero");
  EXPECT_EQ(build.source_dir, fs::path(EOFZERO_SOURCE_DIR));
  EXPECT_TRUE(build.data_from_bin.is_relative()) << build.data_from_bin;
}

}  // namespace
}  // namespace eofzero::cli
