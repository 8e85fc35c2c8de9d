#include "guest/host_tools.h"

#include <gtest/gtest.h>

namespace eofzero::guest {
namespace {

std::vector<std::string> Programs(const std::vector<std::string>& words) {
  std::vector<KernelSpec> specs;
  for (const auto& w : words) specs.push_back(*ParseKernelSpec(w));
  std::vector<std::string> out;
  for (const auto& t : KernelsHostTools(specs)) out.push_back(t.program);
  return out;
}

TEST(HostTools, QemuAndBusyboxAlwaysAptForDebiansKernels) {
  using V = std::vector<std::string>;
  EXPECT_EQ(Programs({"/src/bzImage"}), (V{"qemu-system-x86_64", "busybox"}));
  EXPECT_EQ(Programs({"k.deb"}), (V{"qemu-system-x86_64", "busybox", "dpkg-deb"}));
  EXPECT_EQ(Programs({"trixie", "/src/bzImage"}),
            (V{"qemu-system-x86_64", "busybox", "apt-get", kDebianKeyring, "dpkg-deb"}));
  EXPECT_EQ(KernelsHostTools({})[0].Missing(),
            "qemu-system-x86_64 not found: apt-get install qemu-system-x86");
  EXPECT_EQ(KernelsHostTools({})[1].Missing(), "busybox not found: apt-get install busybox-static");
}

TEST(HostTools, EachFilesystemRunBringsItsDriversToolsAndPackage) {
  const auto tools = KernelsHostTools({}, {fsdriver::FsType::kF2fs});
  ASSERT_EQ(tools.size(), 5u);
  EXPECT_EQ(tools[2].Missing(), "mkfs.f2fs not found: apt-get install f2fs-tools");
  EXPECT_EQ(tools[4].program, "dump.f2fs");
  const auto ext4 = KernelsHostTools({}, {fsdriver::FsType::kExt4});
  EXPECT_EQ(ext4[2].Missing(), "mkfs.ext4 not found: apt-get install e2fsprogs");
}

TEST(HostTools, ModulesNameTheirDecompressor) {
  EXPECT_EQ(ModuleDecompressor("/m/ext4.ko.xz").Missing(), "xz not found: apt-get install xz-utils");
  EXPECT_EQ(ModuleDecompressor("/m/ext4.ko.zst").Missing(), "zstd not found: apt-get install zstd");
  EXPECT_EQ(ModuleDecompressor("/m/ext4.ko.gz").program, "gzip");
  EXPECT_EQ(ModuleDecompressor("/m/ext4.ko").program, "");
}

}  // namespace
}  // namespace eofzero::guest
