#include "guest/module_order.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace std::string_literals;

namespace eofzero::guest {
namespace {

using Strings = std::vector<std::string>;

TEST(ModuleOrder, NamesModulesByTheirFiles) {
  EXPECT_EQ(ModuleName("kernel/fs/ext4/ext4.ko"), "ext4");
  EXPECT_EQ(ModuleName("/x/kernel/arch/x86/crypto/crc32c-intel.ko.xz"), "crc32c_intel");
  EXPECT_EQ(ModuleName("xfs.ko.zst"), "xfs");
  EXPECT_EQ(ModuleName("modules.builtin"), "");
  EXPECT_EQ(ModuleName(".ko"), "");
}

TEST(ModuleOrder, ReadsDependsFromModinfo) {
  const std::string modinfo =
      "license=GPL\0depends=mbcache,jbd2,crc16\0softdep=pre: crc32c\0name=ext4\0"s;
  EXPECT_EQ(ModinfoDepends(modinfo), (Strings{"mbcache", "jbd2", "crc16"}));
  EXPECT_EQ(ModinfoDepends("depends=\0name=crc16\0"s), Strings{});
  EXPECT_EQ(ModinfoDepends("name=x"), Strings{});
}

TEST(ModuleOrder, ReadsBuiltin) {
  auto builtin =
      ParseBuiltin("kernel/drivers/virtio/virtio.ko\nkernel/drivers/block/virtio_blk.ko\n");
  EXPECT_TRUE(builtin.contains("virtio"));
  EXPECT_TRUE(builtin.contains("virtio_blk"));
  EXPECT_EQ(builtin.size(), 2u);
}

// ext4 -> mbcache, jbd2, crc16; jbd2 -> nothing; xfs -> libcrc32c -> nothing.
std::map<std::string, Strings> kDeps = {{"ext4", {"mbcache", "jbd2", "crc16"}},
                                        {"jbd2", {}},
                                        {"mbcache", {}},
                                        {"crc16", {}},
                                        {"xfs", {"libcrc32c"}},
                                        {"libcrc32c", {}},
                                        {"crc32c_generic", {}},
                                        {"virtio_blk", {"virtio", "virtio_ring"}},
                                        {"virtio", {}},
                                        {"virtio_ring", {}}};

ModuleIndex Index(const std::set<std::string>& leave_out = {}) {
  ModuleIndex index;
  for (const auto& [name, deps] : kDeps)
    if (!leave_out.contains(name)) index[name] = "/m/" + name + ".ko";
  return index;
}

auto DependsOf = [](const std::string& name) -> std::expected<Strings, std::string> {
  return kDeps.at(name);
};

TEST(ModuleOrder, DependenciesFirstEachOnce) {
  auto order =
      LoadOrder({"crc32c_generic", "virtio_blk", "ext4", "xfs", "jbd2"}, Index(), {}, DependsOf);
  ASSERT_TRUE(order) << order.error();
  EXPECT_EQ(*order, (Strings{"crc32c_generic", "virtio", "virtio_ring", "virtio_blk", "mbcache",
                             "jbd2", "crc16", "ext4", "libcrc32c", "xfs"}));
}

TEST(ModuleOrder, BuiltinModulesAreNotLoaded) {
  auto order = LoadOrder({"virtio_blk", "ext4"}, Index({"virtio", "virtio_ring", "virtio_blk"}),
                         {"virtio", "virtio_ring", "virtio_blk", "crc16"}, DependsOf);
  ASSERT_TRUE(order) << order.error();
  EXPECT_EQ(*order, (Strings{"mbcache", "jbd2", "ext4"}));
}

// loop (the self-test's images in `kernels --selftest`) is always asked for
// where the kernel has it, as a module or built in; a kernel without it
// still boots its guests (only a self-test then says it has no loop devices),
// as one without a crc32c_generic of its own does.
TEST(ModuleOrder, LoopIsWantedWhereTheKernelHasItAndOptionalElsewhere) {
  const auto& all = GuestModules();
  EXPECT_NE(std::ranges::find(all, "loop"), all.end());
  ModuleIndex index = {{"loop", "/k/loop.ko.xz"}, {"virtio_blk", "/k/virtio_blk.ko"}};
  auto wanted = WantedModules(index, {});
  EXPECT_NE(std::ranges::find(wanted, "loop"), wanted.end());
  EXPECT_EQ(std::ranges::find(wanted, "crc32c_generic"), wanted.end());
  wanted = WantedModules({}, {"loop"});
  EXPECT_NE(std::ranges::find(wanted, "loop"), wanted.end()) << "built in: LoadOrder skips it";
  wanted = WantedModules({}, {});
  EXPECT_EQ(std::ranges::find(wanted, "loop"), wanted.end());
  EXPECT_NE(std::ranges::find(wanted, "virtio_blk"), wanted.end()) << "not optional";
}

TEST(ModuleOrder, AMissingModuleIsAnErrorNamingIt) {
  auto order = LoadOrder({"ext4"}, Index({"jbd2"}), {}, DependsOf);
  ASSERT_FALSE(order);
  EXPECT_EQ(order.error(),
            "module jbd2 (needed by ext4): neither a module of this kernel nor built in");
  auto unreadable = LoadOrder({"xfs"}, Index(), {},
                              [](const std::string& name) -> std::expected<Strings, std::string> {
                                return std::unexpected(name + ".ko: no .modinfo section");
                              });
  ASSERT_FALSE(unreadable);
  EXPECT_EQ(unreadable.error(), "module xfs: xfs.ko: no .modinfo section");
}

}  // namespace
}  // namespace eofzero::guest
