#include <gtest/gtest.h>

#include "fsdriver/xfs_db.h"

namespace eofzero::fsdriver {
namespace {

TEST(XfsDbArgv, ReadOnlyAndOneArgumentPerCommand) {
  EXPECT_EQ(XfsDbArgv("/dev/loop7", {"inode 131", "print core.size", "bmap"}),
            (std::vector<std::string>{"xfs_db", "-r", "-c", "inode 131", "-c", "print core.size",
                                      "-c", "bmap", "/dev/loop7"}));
}

}  // namespace
}  // namespace eofzero::fsdriver
