// The registry hands out one driver per filesystem, and outside the drivers'
// folder no source branches on a filesystem's name (issue 21): a source that
// says "ext4", "xfs" or FsType::kExt4 is asking what only a driver knows.
#include "fsdriver/registry.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace eofzero::fsdriver {
namespace {

TEST(Registry, EveryDriverIsFoundByItsName) {
  for (FsType fs : kFsTypes) {
    EXPECT_EQ(ParseFsType(FsTypeName(fs)), fs);
    EXPECT_EQ(Driver(fs).Name(), FsTypeName(fs));
  }
  EXPECT_EQ(ParseFsType("EXT4"), std::nullopt);
  EXPECT_EQ(ParseFsType(""), std::nullopt);
  EXPECT_EQ(FsTypeNames(), "ext4, xfs, btrfs, f2fs");
  EXPECT_EQ(FsTypeNames(","), "ext4,xfs,btrfs,f2fs");
  EXPECT_EQ(FsTypeChoices(), "ext4, xfs, btrfs or f2fs");
}

TEST(Registry, FsckCommandTextIsTheArgvWithoutItsSource) {
  EXPECT_EQ(Driver(FsType::kExt4).FsckCommandText(), "e2fsck -fn");
  EXPECT_EQ(Driver(FsType::kXfs).FsckCommandText(), "xfs_repair -n");
  EXPECT_EQ(Driver(FsType::kBtrfs).FsckCommandText(), "btrfs check --readonly");
}

TEST(Registry, ADriverSaysWhichBlockSizesItCannotMake) {
  EXPECT_EQ(Driver(FsType::kExt4).BlockSizeRefused(1024), "");
  EXPECT_EQ(Driver(FsType::kXfs).BlockSizeRefused(1024), "");
  EXPECT_EQ(Driver(FsType::kBtrfs).BlockSizeRefused(4096), "");
  EXPECT_EQ(Driver(FsType::kBtrfs).BlockSizeRefused(1024),
            "mkfs.btrfs makes no 1024-byte sectors (its range is 4K to 64K)");
}

TEST(Registry, TheDefaultFilesystemsAreExt4AndXfs) {
  EXPECT_EQ(DefaultFsTypes(), (std::vector<FsType>{FsType::kExt4, FsType::kXfs}));
  EXPECT_EQ(DefaultFsNames(), (std::vector<std::string>{"ext4", "xfs"}));
}

// Every line of src/ outside src/fsdriver/ whose code (not its comment)
// names a filesystem the way code branches on it: a quoted name or an
// enumerator.
std::vector<std::string> NamesOutsideTheDrivers() {
  namespace stdfs = std::filesystem;
  const stdfs::path src = stdfs::path(EOFZERO_SOURCE_DIR) / "src";
  std::string names;
  for (FsType fs : kFsTypes) {
    std::string n(FsTypeName(fs));
    names += (names.empty() ? "" : "|") + ("\"" + n + "\"");
  }
  const std::regex pattern("(" + names + "|FsType::k[A-Z])");
  std::vector<std::string> found;
  for (const auto& e : stdfs::recursive_directory_iterator(src)) {
    if (!e.is_regular_file()) continue;
    const auto rel = stdfs::relative(e.path(), src).generic_string();
    if (rel.starts_with("fsdriver/")) continue;
    std::ifstream in(e.path());
    int number = 0;
    for (std::string line; std::getline(in, line);) {
      ++number;
      const std::string code = line.substr(0, line.find("//"));  // comments may name them
      if (std::regex_search(code, pattern)) found.push_back(rel + ":" + std::to_string(number) + ": " + line);
    }
  }
  return found;
}

TEST(Registry, NoSourceOutsideTheDriversBranchesOnAFilesystemName) {
  const auto found = NamesOutsideTheDrivers();
  std::string all;
  for (const auto& f : found) all += f + "\n";
  EXPECT_TRUE(found.empty()) << all;
}

}  // namespace
}  // namespace eofzero::fsdriver
