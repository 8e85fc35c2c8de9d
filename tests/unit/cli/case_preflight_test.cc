#include "cli/case_preflight.h"

#include <gtest/gtest.h>

#include "engine/case_file.h"

namespace eofzero::cli {
namespace {

// A case called `name` with `fields` (from line 3) and extra steps (from
// line 4 with no field).
engine::CaseSpec Case(const std::string& name, const std::string& fields,
                      const std::string& steps) {
  auto spec = engine::ParseCaseText("name = \"" + name + "\"\npurpose = \"p\"\n" + fields +
                                        "steps = '''\n" + steps +
                                        "plant\nshutdown -f\ncycle_mount\nexpect size {eob}\n"
                                        "check gap\n'''\n",
                                    name + ".toml");
  EXPECT_TRUE(spec) << spec.error();
  return spec ? *spec : engine::CaseSpec{};
}

suite::RunOptions Options(std::vector<fsdriver::FsType> filesystems, std::uint64_t image_bytes = 0) {
  suite::RunOptions o;
  o.filesystems = std::move(filesystems);
  o.image_bytes = image_bytes;
  return o;
}

const auto kExt4 = fsdriver::FsType::kExt4;
const auto kXfs = fsdriver::FsType::kXfs;

TEST(PreflightCases, EachFilesystemWithItsDefaultImage) {
  // 100 MiB is more than a third of ext4's default 256M, less than of xfs's 512M.
  const auto c = Case("big", "", "falloc 0 100m\n");
  auto ext4 = PreflightCases(Options({kExt4, kXfs}), {&c});
  ASSERT_FALSE(ext4);
  EXPECT_TRUE(ext4.error().starts_with("big.toml:4: falloc: the steps up to here may allocate"))
      << ext4.error();
  EXPECT_NE(ext4.error().find("256M ext4 image (its default size; see --image-size)"),
            std::string::npos)
      << ext4.error();
  EXPECT_TRUE(PreflightCases(Options({kXfs}), {&c}));
  EXPECT_TRUE(PreflightCases(Options({kExt4}, 512ull << 20), {&c}));
}

TEST(PreflightCases, TheImageMustSuitEveryBlockSizeACaseAsksFor) {
  const auto c = Case("bs64k", "block_size = 65536\n", "");
  auto r = PreflightCases(Options({kExt4}, 16ull << 20), {&c});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(),
            "--image-size: 16M is too small: mkfs.ext4 needs 128M with 65536-byte blocks (2048 "
            "blocks, for a journal), which case bs64k asks for");
  EXPECT_TRUE(PreflightCases(Options({kExt4}, 128ull << 20), {&c}));
}

TEST(PreflightCases, ACaseForAnotherFilesystemIsStillChecked) {
  const auto ok = Case("for_xfs", "fs = [\"xfs\"]\n", "pwrite 0 100m\n");
  EXPECT_TRUE(PreflightCases(Options({kExt4}, 8ull << 20), {&ok}))
      << "checked with xfs's default image, not ext4's --image-size";
  const auto bad = Case("for_xfs", "fs = [\"xfs\"]\n", "pwrite -S 0x1ff 0 1\n");
  auto r = PreflightCases(Options({kExt4}), {&bad});
  ASSERT_FALSE(r);
  EXPECT_TRUE(r.error().starts_with("for_xfs.toml:5: pwrite: -S 511 is not one byte")) << r.error();
}

TEST(PreflightCases, AScratchDeviceIsNotSizeChecked) {
  const auto c = Case("big", "", "falloc 0 1g\n");
  suite::RunOptions o = Options({kExt4});
  o.scratch_target.emplace();
  o.scratch_target->device = "/dev/sdz";
  o.scratch_target->mount_dir = "/mnt/scratch";
  EXPECT_TRUE(PreflightCases(o, {&c}));
}

TEST(PreflightMatrix, EachConfigurationAtItsOwnBlockSize) {
  std::vector<engine::CaseSpec> catalog = {Case("wide_gap", "gap = 2000\n", "")};
  auto job = [](const char* name, std::uint32_t bs) {
    suite::MatrixJob j;
    j.entry.name = name;
    j.entry.fs = kExt4;
    j.entry.block_size = bs;
    j.cases = {"wide_gap"};
    return j;
  };
  const suite::MatrixJob k4 = job("ext4-4k", 4096), k1 = job("ext4-1k", 1024);
  EXPECT_TRUE(PreflightMatrix({k4}, catalog));
  auto r = PreflightMatrix({k4, k1}, catalog);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(),
            "wide_gap.toml:3: gap 2000 must be 1 to block size - 1 (1023) (configuration ext4-1k)");
}

}  // namespace
}  // namespace eofzero::cli
