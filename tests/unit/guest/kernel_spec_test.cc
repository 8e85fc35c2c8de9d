#include "guest/kernel_spec.h"

#include <gtest/gtest.h>

#include <numeric>

namespace eofzero::guest {
namespace {

using Kind = KernelSpec::Kind;

TEST(KernelSpec, SuitesPackagesVersionsDebsAndBuilds) {
  auto suite = ParseKernelSpec("trixie");
  ASSERT_TRUE(suite);
  EXPECT_EQ(suite->kind, Kind::kSuite);
  EXPECT_EQ(suite->suite, "trixie");

  auto package = ParseKernelSpec("linux-image-6.1.0-37-amd64");
  ASSERT_TRUE(package);
  EXPECT_EQ(package->kind, Kind::kPackage);
  EXPECT_EQ(package->package, "linux-image-6.1.0-37-amd64");
  EXPECT_EQ(package->suite, "");

  auto version = ParseKernelSpec("sid/6.17.8+deb14-amd64");
  ASSERT_TRUE(version);
  EXPECT_EQ(version->kind, Kind::kPackage);
  EXPECT_EQ(version->suite, "sid");
  EXPECT_EQ(version->package, "linux-image-6.17.8+deb14-amd64");

  auto deb = ParseKernelSpec("linux-image-6.1.0-37-amd64_6.1.140-1_amd64.deb");
  ASSERT_TRUE(deb);
  EXPECT_EQ(deb->kind, Kind::kDebFile);

  auto build = ParseKernelSpec("/src/linux/arch/x86/boot/bzImage:/tmp/mods/lib/modules/6.18.0");
  ASSERT_TRUE(build);
  EXPECT_EQ(build->kind, Kind::kBuild);
  EXPECT_EQ(build->file, "/src/linux/arch/x86/boot/bzImage");
  EXPECT_EQ(build->modules_dir, "/tmp/mods/lib/modules/6.18.0");
  EXPECT_EQ(build->text, "/src/linux/arch/x86/boot/bzImage:/tmp/mods/lib/modules/6.18.0");
}

TEST(KernelSpec, RefusesWhatIsNoKernel) {
  EXPECT_FALSE(ParseKernelSpec(""));
  auto other = ParseKernelSpec("firefox");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().substr(0, 17), "--kernel firefox:");
  EXPECT_FALSE(ParseKernelSpec("sid/bash"));
  EXPECT_FALSE(ParseKernelSpec("linux-image-$(reboot)"));
  EXPECT_FALSE(ParseKernelSpec("./bzImage:"));
}

TEST(KernelSpec, AListRefusesEmptyItemsAndTheSameKernelTwice) {
  auto list = ParseKernelList({"bookworm,sid", "./k.deb"});
  ASSERT_TRUE(list) << list.error();
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[1].text, "sid");
  EXPECT_EQ((*list)[2].kind, KernelSpec::Kind::kDebFile);
  EXPECT_EQ(ParseKernelList({"trixie,,trixie"}).error(),
            "--kernel: an empty item in 'trixie,,trixie'");
  EXPECT_EQ(ParseKernelList({","}).error(), "--kernel: an empty item in ','");
  EXPECT_EQ(ParseKernelList({"sid,"}).error(), "--kernel: an empty item in 'sid,'");
  EXPECT_EQ(ParseKernelList({""}).error(), "--kernel: an empty item in ''");
  EXPECT_EQ(ParseKernelList({"trixie,sid,trixie"}).error(), "--kernel: trixie given twice");
  EXPECT_EQ(ParseKernelList({"sid", "sid"}).error(), "--kernel: sid given twice");
  EXPECT_EQ(ParseKernelList({"linux-image-6.1.0-37-amd64,6.1.0-37-amd64"}).error(),
            "--kernel: 6.1.0-37-amd64 is linux-image-6.1.0-37-amd64 again");
  EXPECT_EQ(ParseKernelList({"k.deb,./k.deb"}).error(), "--kernel: ./k.deb is k.deb again");
  EXPECT_EQ(ParseKernelList({"/b/bzImage:/m,/b/../b/bzImage:/m/"}).error(),
            "--kernel: /b/../b/bzImage:/m/ is /b/bzImage:/m again");
  // Different suites, or a build with and without modules, are different kernels.
  EXPECT_TRUE(ParseKernelList({"sid/6.1.0-37-amd64,trixie/6.1.0-37-amd64"}));
  EXPECT_TRUE(ParseKernelList({"/b/bzImage,/b/bzImage:/m"}));
  EXPECT_EQ(ParseKernelList({"sid,firefox"}).error().substr(0, 27), "--kernel firefox: not a sui");
}

TEST(Shard, ParsesKOfM) {
  auto s = ParseShard("2/3");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->index, 2u);
  EXPECT_EQ(s->count, 3u);
  for (const char* bad : {"0/3", "4/3", "3", "a/b", "1/0", "1/3x", "-1/3"})
    EXPECT_FALSE(ParseShard(bad)) << bad;
}

TEST(Shard, SlicesInOrderAreEveryItemOnce) {
  for (std::size_t n = 0; n < 9; ++n) {
    std::vector<int> items(n);
    std::iota(items.begin(), items.end(), 0);
    for (std::size_t m = 1; m < 5; ++m) {
      std::vector<int> joined;
      for (std::size_t k = 1; k <= m; ++k) {
        auto slice = ShardSlice(items, Shard{k, m});
        joined.insert(joined.end(), slice.begin(), slice.end());
      }
      EXPECT_EQ(joined, items) << n << " items in " << m << " shards";
    }
  }
}

}  // namespace
}  // namespace eofzero::guest

#include "guest/kernel_package.h"

namespace eofzero::guest {
namespace {

TEST(KernelPackage, TheSuitesImageAndItsParts) {
  EXPECT_EQ(DependedImage("linux-image-amd64\n  Depends: linux-base-amd64\n"
                          "  Depends: linux-image-7.2.13+deb14-amd64\n"),
            "linux-image-7.2.13+deb14-amd64");
  EXPECT_EQ(DependedImage("linux-image-amd64\n"), "");
  const std::string depends =
      "linux-image-7.2.13+deb14-amd64\n  PreDepends: linux-base\n |Depends: dracut\n"
      "  Depends: linux-base-7.2.13+deb14-amd64\n  Depends: linux-binary-7.2.13+deb14-amd64\n"
      "  Depends: linux-modules-7.2.13+deb14-amd64\n  Suggests: linux-doc-7.2\n";
  EXPECT_EQ(KernelParts(depends), (std::vector<std::string>{"linux-base-7.2.13+deb14-amd64",
                                                            "linux-binary-7.2.13+deb14-amd64",
                                                            "linux-modules-7.2.13+deb14-amd64"}));
  EXPECT_TRUE(KernelParts("linux-image-6.1.0-56-amd64\n  Depends: kmod\n").empty());
}

TEST(KernelPackage, APrivateAptConfiguration) {
  KernelCache cache;
  EXPECT_EQ(SourcesList("bookworm", cache),
            "deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
            "http://deb.debian.org/debian bookworm main\n"
            "deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
            "http://deb.debian.org/debian-security bookworm-security main\n");
  EXPECT_EQ(SourcesList("sid", cache).find("security"), std::string::npos);
  const auto options = AptOptions("/c/apt/sid");
  for (const char* o :
       {"Dir::Etc::sourcelist=/c/apt/sid/etc/sources.list",
        "Dir::Etc::sourceparts=/c/apt/sid/etc/parts", "Dir::State=/c/apt/sid/state",
        "Dir::State::status=/c/apt/sid/state/status", "Dir::Cache=/c/apt/sid/cache"})
    EXPECT_NE(std::find(options.begin(), options.end(), o), options.end()) << o;
}

}  // namespace
}  // namespace eofzero::guest
