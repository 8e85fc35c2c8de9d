// The f2fs driver's tools on real images, on any host: f2fs-tools make, fill
// (sload.f2fs copies a folder in without the kernel), read and check an
// image, so the offline reader, the fsck classifier and the metadata dump
// are tested here even where the kernel has no f2fs. What needs the kernel
// (mount, the plant, the shutdown) runs in a guest: `eofzero kernels --fs
// f2fs` (KernelsF2fs in kernels_test.cc).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "fsdriver/f2fs_dump.h"
#include "fsdriver/registry.h"
#include "harness.h"
#include "os/process.h"
#include "os/system.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;
using fsdriver::Driver;
using fsdriver::FsType;

#define REQUIRE_F2FS_TOOLS()                                                             \
  for (const char* tool : {"mkfs.f2fs", "sload.f2fs", "fsck.f2fs", "dump.f2fs"})          \
    if (!os::ProgramExists(tool))                                                          \
  GTEST_SKIP() << tool << " not found (scripts/setup-deps guest installs f2fs-tools)"

std::string Pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 13 + 5) | 1);
  return s;
}

std::string ReadAt(const fs::path& file, std::uint64_t offset, std::size_t n) {
  std::ifstream in(file, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  std::string s(n, '\0');
  in.read(s.data(), static_cast<std::streamsize>(n));
  s.resize(static_cast<std::size_t>(in.gcount()));
  return s;
}

void WriteAt(const fs::path& file, std::uint64_t offset, const std::string& bytes) {
  std::fstream out(file, std::ios::binary | std::ios::in | std::ios::out);
  out.seekp(static_cast<std::streamoff>(offset));
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// A 128 MiB image made by the driver's mkfs command, holding `f` (5000
// bytes of Pattern) and a folder `d` with one file.
class F2fsImage : public ::testing::Test {
 protected:
  void SetUp() override {
    REQUIRE_F2FS_TOOLS();
    dir_ = fs::temp_directory_path() / ("eofzero-f2fs-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "src" / "d");
    std::ofstream(dir_ / "src" / "f", std::ios::binary) << Pattern(5000);
    std::ofstream(dir_ / "src" / "d" / "x") << "x";
    image_ = dir_ / "f2fs.img";
    std::ofstream(image_).close();
    fs::resize_file(image_, 128ull << 20);
    auto argv = Driver(FsType::kF2fs).MkfsCommand(std::nullopt, "5d0c5a70-6b1d-4bd4-9d2e-3f2c1e0a9b11");
    argv.push_back(image_.string());
    Must(argv);
    Must({"sload.f2fs", "-f", (dir_ / "src").string(), image_.string()});
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  static void Must(const std::vector<std::string>& argv) {
    auto run = os::RunProcess(argv);
    ASSERT_TRUE(run) << run.error().Message();
    ASSERT_TRUE(run->ok()) << run->Describe();
  }
  // The inode of /NAME, as dump.f2fs finds it by trying the first node ids.
  std::uint64_t InodeOf(const std::string& name) {
    for (std::uint64_t ino = 3; ino < 16; ++ino) {
      char hex[16];
      std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(ino));
      auto run = os::RunProcess({"dump.f2fs", "-i", hex, image_.string()});
      if (run && run->out.find("i_name                        \t\t[" + name + "]") != std::string::npos)
        return ino;
    }
    ADD_FAILURE() << "no inode named " << name;
    return 0;
  }
  fs::path dir_, image_;
};

TEST_F(F2fsImage, TheOfflineReaderFindsTheFilesSizeAndBlocks) {
  const std::uint64_t ino = InodeOf("f");
  ASSERT_NE(ino, 0u);
  os::System& sys = os::RealSystem();
  const auto& d = Driver(FsType::kF2fs);
  auto b0 = d.ReadOffline(sys, image_.string(), "/f", ino, 0);
  ASSERT_TRUE(b0) << b0.error().Message();
  EXPECT_EQ(b0->reader, "dump.f2fs");
  EXPECT_EQ(b0->size, 5000u);
  EXPECT_EQ(b0->block_size, 4096u);
  EXPECT_EQ(b0->how, "");
  ASSERT_TRUE(b0->offset);
  EXPECT_EQ(ReadAt(image_, *b0->offset, 4096), Pattern(5000).substr(0, 4096));
  auto b1 = d.ReadOffline(sys, image_.string(), "/f", ino, 1);
  ASSERT_TRUE(b1) << b1.error().Message();
  ASSERT_TRUE(b1->offset);
  EXPECT_EQ(ReadAt(image_, *b1->offset, 904), Pattern(5000).substr(4096));
  EXPECT_EQ(ReadAt(image_, *b1->offset + 904, 4096 - 904), std::string(4096 - 904, '\0'))
      << "sload.f2fs zeroes the EOF block's tail";
  auto past = d.ReadOffline(sys, image_.string(), "/f", ino, 2);
  ASSERT_TRUE(past) << past.error().Message();
  EXPECT_EQ(past->how, "hole");
  // Not an inode: refused, never a size of 0.
  auto none = d.ReadOffline(sys, image_.string(), "/f", 999, 0);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().Message(), "dump.f2fs prints no inode 999 (a free node id?)");
  // No f2fs there: the tool's own words.
  std::ofstream(dir_ / "zeros").close();
  fs::resize_file(dir_ / "zeros", 64ull << 20);
  auto no_fs = d.ReadOffline(sys, (dir_ / "zeros").string(), "/f", ino, 0);
  ASSERT_FALSE(no_fs);
  EXPECT_NE(no_fs.error().Message().find("Can't find a valid F2FS superblock"), std::string::npos)
      << no_fs.error().Message();
}

// The positive control of the classifier on the real tool: clean, then a
// directory's block overwritten (the self-test's fsck fault) is corrupt.
TEST_F(F2fsImage, FsckSaysCleanAndThenCorruptWhenADirectoryBlockIsOverwritten) {
  const auto& d = Driver(FsType::kF2fs);
  auto clean = os::RunProcess(d.FsckArgv(image_.string(), fsdriver::FsckSource::kImageFile));
  ASSERT_TRUE(clean) << clean.error().Message();
  EXPECT_EQ(d.ClassifyFsck(*clean).verdict, fsdriver::FsckVerdict::kClean) << clean->out;
  const std::uint64_t dir = InodeOf("d");
  ASSERT_NE(dir, 0u);
  auto block = d.ReadOffline(os::RealSystem(), image_.string(), "/d", dir, 0);
  ASSERT_TRUE(block) << block.error().Message();
  ASSERT_TRUE(block->offset) << block->how;
  EXPECT_GT(block->extent_bytes, 0u);
  const std::string before = ReadAt(image_, 0, 1 << 20);
  WriteAt(image_, *block->offset, std::string(4096, 'S'));
  auto corrupt = os::RunProcess(d.FsckArgv(image_.string(), fsdriver::FsckSource::kImageFile));
  ASSERT_TRUE(corrupt);
  EXPECT_EQ(d.ClassifyFsck(*corrupt).verdict, fsdriver::FsckVerdict::kCorrupt) << corrupt->out;
  EXPECT_EQ(ReadAt(image_, 0, 1 << 20), before) << "--dry-run changed the image";
}

// The metadata dump is the same text for the same bytes (its run time taken
// out), and shows the cache fault's byte changed.
TEST_F(F2fsImage, TheMetadataDumpShowsTheCacheFaultsByte) {
  const auto& d = Driver(FsType::kF2fs);
  auto dump = [&] {
    auto run = os::RunProcess(d.MetadataDumpArgv(image_.string()));
    EXPECT_TRUE(run && run->ok()) << (run ? run->Describe() : run.error().Message());
    return run ? d.MetadataDumpKept(run->out) : std::string();
  };
  const std::string first = dump();
  EXPECT_NE(first.find("Checkpoint"), std::string::npos);
  EXPECT_EQ(dump(), first);
  const auto target = d.CacheFault(4096);
  std::string byte = ReadAt(image_, target.offset + target.byte, 1);
  ASSERT_EQ(byte.size(), 1u);
  byte[0] = static_cast<char>(byte[0] - 1);
  WriteAt(image_, target.offset + target.byte, byte);
  const std::string changed = dump();
  EXPECT_NE(changed, first);
  auto fsck = os::RunProcess(d.FsckArgv(image_.string(), fsdriver::FsckSource::kImageFile));
  ASSERT_TRUE(fsck);
  EXPECT_NE(d.ClassifyFsck(*fsck).verdict, fsdriver::FsckVerdict::kToolError) << fsck->out;
}

}  // namespace
}  // namespace eofzero::itest
