#include "os/kernel_filesystems.h"

#include <gtest/gtest.h>

namespace eofzero::os {
namespace {

TEST(KernelFilesystems, ProcFilesystemsListsBlockAndNodevTypes) {
  const std::string proc = "nodev\tsysfs\nnodev\ttmpfs\n\text4\n\txfs\nnodev\tfuse\n\tbtrfs\n";
  EXPECT_TRUE(ListsFilesystem(proc, "ext4"));
  EXPECT_TRUE(ListsFilesystem(proc, "btrfs"));
  EXPECT_TRUE(ListsFilesystem(proc, "tmpfs"));
  EXPECT_FALSE(ListsFilesystem(proc, "f2fs"));
  EXPECT_FALSE(ListsFilesystem(proc, "ext"));  // a whole name, not a prefix
  EXPECT_FALSE(ListsFilesystem("", "ext4"));
}

TEST(KernelFilesystems, ModulesDepNamesTheModuleFile) {
  const std::string dep =
      "kernel/fs/f2fs/f2fs.ko.xz: kernel/lib/lz4/lz4_compress.ko.xz\n"
      "kernel/fs/xfs/xfs.ko:\n"
      "kernel/fs/f2fsx/notf2fs.ko.zst:\n";
  EXPECT_TRUE(ListsModule(dep, "f2fs"));
  EXPECT_TRUE(ListsModule(dep, "xfs"));
  EXPECT_FALSE(ListsModule(dep, "lz4_compress"));  // a dependency, not a line of its own
  EXPECT_FALSE(ListsModule(dep, "btrfs"));
  EXPECT_FALSE(ListsModule("", "f2fs"));
}

}  // namespace
}  // namespace eofzero::os
