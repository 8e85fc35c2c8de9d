#include "engine/case_check.h"

#include <gtest/gtest.h>

#include "engine/case_file.h"

namespace eofzero::engine {
namespace {

using fsdriver::FsType;

// A case whose extra steps start on line 4 (line 3 with one field).
CaseSpec Parse(const std::string& fields, const std::string& steps) {
  auto spec =
      ParseCaseText("name = \"c\"\npurpose = \"p\"\n" + fields + "steps = '''\n" + steps +
                        "plant\nshutdown -f\ncycle_mount\nexpect size {eob}\ncheck gap\n'''\n",
                    "c.toml");
  EXPECT_TRUE(spec) << spec.error();
  return spec ? *spec : CaseSpec{};
}

CaseTarget Target(FsType fs, std::uint32_t bs = 4096, std::uint32_t gap = 16,
                  std::optional<std::uint64_t> image = 256ull << 20) {
  CaseTarget t;
  t.fs = fs;
  t.block_size = bs;
  t.default_gap = gap;
  t.image_bytes = image;
  return t;
}

TEST(VariablesFor, DefaultGeometry) {
  auto vars = VariablesFor(Parse("", ""), 4096, 4096, 16);
  ASSERT_TRUE(vars) << vars.error();
  EXPECT_EQ((*vars)["eof"], 4080);
  EXPECT_EQ((*vars)["eof_block"], 0);
  EXPECT_EQ((*vars)["eob"], 4096);
  vars = VariablesFor(Parse("eof = \"{4 * bs - gap}\"\n", ""), 1024, 4096, 1);
  ASSERT_TRUE(vars) << vars.error();
  EXPECT_EQ((*vars)["eof"], 4095);
  EXPECT_EQ((*vars)["eof_block"], 3072);
}

struct Bad {
  std::string fields, steps;
  CaseTarget target;
  std::string error;  // the whole message starts with this
};

TEST(PreflightCase, NamesTheFileAndLineOfWhatDoesNotFit) {
  const FsType ext4 = FsType::kExt4, xfs = FsType::kXfs;
  const Bad table[] = {
      {"eof = \"{bs / 0}\"\n", "", Target(ext4), "c.toml:3: eof: {bs / 0}: division by zero"},
      {"gap = 5000\n", "", Target(ext4), "c.toml:3: gap 5000 must be 1 to block size - 1 (4095)"},
      {"gap = 0\n", "", Target(ext4), "c.toml:3: gap 0 must be 1 to block size - 1"},
      {"", "", Target(ext4, 1024, 2000),
       "c.toml:1: gap 2000 (--gap) must be 1 to block size - 1 (1023)"},
      {"eof = \"{bs}\"\n", "", Target(ext4), "c.toml:3: eof {bs} = 4096 must be 16 bytes"},
      {"", "truncate {eof - bs}\n", Target(ext4), "c.toml:4: {eof - bs} = -16 is negative"},
      {"", "truncate {0 - 5}\n", Target(ext4), "c.toml:4: {0 - 5} = -5 is negative"},
      {"", "truncate {eob / (bs - bs)}\n", Target(ext4),
       "c.toml:4: {eob / (bs - bs)}: division by zero"},
      {"", "pwrite -S {gap - 17} 0 1\n", Target(ext4), "c.toml:4: {gap - 17} = -1 is negative"},
      {"", "truncate {4611686018427387904 * 4 + eob + bs}\n", Target(xfs),
       "c.toml:4: {4611686018427387904 * 4 + eob + bs}: 4611686018427387904 * 4 overflows"},
      // A pattern is one byte.
      {"", "pwrite -S 0x1ff 0 1\n", Target(ext4), "c.toml:4: pwrite: -S 511 is not one byte"},
      {"", "mmap 0 {bs}\nmwrite -S 256 0 1\n", Target(ext4),
       "c.toml:5: mwrite: -S 256 is not one byte"},
      // Past the largest file: ext4 (2^32 - 1 blocks), xfs (2^63 - 1).
      {"", "pwrite 0 4611686018427387904\n", Target(ext4),
       "c.toml:4: pwrite: offset + length = 4611686018427387904 is past the largest file ext4 "
       "holds with 4096-byte blocks (17592186040320 bytes)"},
      {"", "truncate 17592186040321\n", Target(ext4),
       "c.toml:4: truncate: size = 17592186040321 is past the largest file ext4"},
      {"", "truncate 4398046510081\n", Target(ext4, 1024),
       "c.toml:4: truncate: size = 4398046510081 is past the largest file ext4 holds with "
       "1024-byte blocks (4398046510080 bytes)"},
      {"", "pread 9223372036854775000 1000\n", Target(xfs),
       "c.toml:4: pread: offset + length = 9223372036854776000 is past the largest file xfs"},
      {"", "copy_range -d 9223372036854775000 -l 1000 other\n", Target(xfs),
       "c.toml:4: copy_range: -d + -l = 9223372036854776000 is past the largest file xfs"},
      {"", "reflink other 9223372036854775000 0 1000\n", Target(xfs),
       "c.toml:4: reflink: src_off + len = 9223372036854776000 is past the largest file xfs"},
      {"", "copy_range -l 9223372036854775807 other\n", Target(ext4),
       "c.toml:4: copy_range: -s + -l = 9223372036854775807 is past the largest file ext4"},
      // More than a third of the image.
      {"", "pwrite 0 4611686018427387904\n", Target(xfs, 4096, 16, 512ull << 20),
       "c.toml:4: pwrite: the steps up to here may allocate 4611686018427387904 bytes; a case "
       "may allocate a third of its image, 178956970 bytes of the 512M xfs image"},
      {"", "copy_range -l 9223372036854775807 other\n", Target(xfs),
       "c.toml:4: copy_range: the steps up to here may allocate 9223372036854775807 bytes"},
      {"", "falloc 0 40m\nfzero -k 40m 40m\nfpunch 0 80m\nfalloc -k 80m 40m\n", Target(ext4),
       "c.toml:7: falloc: the steps up to here may allocate 125829120 bytes; a case may "
       "allocate a third of its image, 89478485 bytes of the 256M ext4 image (--image-size)"},
      {"", "mmap 0 100m\nmwrite 0 100m\n", Target(ext4),
       "c.toml:5: mwrite: the steps up to here may allocate 104857600 bytes"},
      {"", "file other\nreflink main 0 0 100m\n", Target(xfs),
       "c.toml:5: reflink: the steps up to here may allocate 104857600 bytes"},
      // A read past the image reads only holes, for hours at 2^44 bytes.
      {"", "truncate 16384g\npread 0 16384g\n", Target(xfs),
       "c.toml:5: pread: a length of 17592186044416 bytes is more than the 256M xfs image "
       "(--image-size) holds"},
  };
  for (const auto& t : table) {
    auto r = PreflightCase(Parse(t.fields, t.steps), t.target);
    ASSERT_FALSE(r) << t.error;
    EXPECT_EQ(r.error().substr(0, t.error.size()), t.error) << r.error();
  }
}

TEST(PreflightCase, WhatFitsPasses) {
  const FsType ext4 = FsType::kExt4, xfs = FsType::kXfs;
  EXPECT_TRUE(PreflightCase(Parse("", "truncate {eof}\n"), Target(ext4)));
  EXPECT_TRUE(PreflightCase(Parse("", "pwrite -S 0xff 0 {eof}\n"), Target(ext4)));
  EXPECT_TRUE(PreflightCase(Parse("", "truncate 17592186040320\n"), Target(ext4)));
  EXPECT_TRUE(PreflightCase(Parse("", "truncate 9223372036854775807\n"), Target(xfs)));
  EXPECT_TRUE(PreflightCase(Parse("", "pwrite 9223372036854775806 1\n"), Target(xfs)));
  // Up to a third of the image; punching, reading and syncing allocate nothing.
  EXPECT_TRUE(PreflightCase(Parse("", "falloc 0 85m\nfpunch 0 1g\npread 0 256m\nsync_range 0 1g\n"),
                            Target(ext4)));
  // Without an image size (a user's scratch device) nothing is size-checked
  // but the largest file.
  EXPECT_TRUE(PreflightCase(Parse("", "pwrite 0 1g\n"), Target(ext4, 4096, 16, std::nullopt)));
}

}  // namespace
}  // namespace eofzero::engine
