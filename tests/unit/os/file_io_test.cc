#include "os/file_io.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "temp_dir.h"

namespace eofzero::os {
namespace {

namespace fs = std::filesystem;

// A case's files: NAME and NAME.FILE. Other names, a NAME.x that is a link
// (and what it leads to) and a folder stay.
TEST(RemoveFileFamily, RemovesTheBaseAndItsDottedFilesOnly) {
  testing::TempDir dir;
  const fs::path d = dir.path();
  for (const char* name : {"case_a", "case_a.src", "case_ab", "case_b", "keep"})
    std::ofstream(d / name) << "x";
  fs::create_symlink(d / "keep", d / "case_a.lnk");
  fs::create_directory(d / "case_a.dir");
  ASSERT_TRUE(RemoveFileFamily(d, "case_a"));
  for (const char* gone : {"case_a", "case_a.src"}) EXPECT_FALSE(fs::exists(d / gone)) << gone;
  for (const char* stays : {"case_ab", "case_b", "keep", "case_a.lnk", "case_a.dir"})
    EXPECT_TRUE(fs::exists(fs::symlink_status(d / stays))) << stays;
  EXPECT_TRUE(RemoveFileFamily(d, "case_a")) << "nothing left to remove is no error";
  EXPECT_FALSE(RemoveFileFamily(d / "missing", "case_a"));
}

}  // namespace
}  // namespace eofzero::os
