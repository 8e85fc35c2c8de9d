// The offline oracles on real images: after a clean unmount, libext2fs and
// xfs_db must report the size the kernel wrote, the block FIEMAP reported,
// and the bytes written (zeros past EOF); fsck must say clean. ext4 with an
// unreplayed journal must be refused.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>

#include "harness.h"
#include "oracles/fsck_result.h"
#include "os/ext4_offline.h"
#include "os/fiemap.h"
#include "os/file_io.h"
#include "scratch/scratch_fs.h"
#include "fsdriver/xfs_offline.h"
#include "scratch/raw_access.h"

namespace eofzero::itest {
namespace {

constexpr std::uint64_t kFileSize = 5000;  // block 0 full, block 1 holds 904 bytes

Bytes Pattern(std::uint64_t n, std::uint8_t seed) {
  Bytes b(n);
  for (std::uint64_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>((i * 7 + seed) | 1);
  return b;
}

struct Written {
  std::uint64_t inode = 0;
  std::vector<os::Extent> extents;
};

scratch::ScratchSpec Ext4Spec() {
  scratch::ScratchSpec spec;
  spec.fs = fsdriver::FsType::kExt4;
  spec.block_size = 4096;
  return spec;
}

// Writes and fsyncs `data` to `path`, then maps it (FIEMAP, synced).
Written WriteFile(const std::filesystem::path& path, const Bytes& data) {
  Written w;
  auto fd = os::OpenFile(path.string(), O_RDWR | O_CREAT | O_TRUNC);
  EXPECT_TRUE(fd) << fd.error().Message();
  if (!fd) return w;
  EXPECT_TRUE(os::WriteAll(fd->get(), data, 0, path.string()));
  EXPECT_TRUE(os::Fsync(fd->get(), path.string()));
  struct stat st {};
  EXPECT_EQ(::fstat(fd->get(), &st), 0);
  w.inode = st.st_ino;
  auto ext = os::MapExtents(fd->get(), 0, data.size(), os::FiemapSync::kYes, path.string());
  EXPECT_TRUE(ext) << ext.error().Message();
  if (ext) w.extents = *ext;
  return w;
}

// FIEMAP's device byte offset of the file's byte `logical`.
std::uint64_t FiemapByteOffset(const Written& w, std::uint64_t logical) {
  for (const auto& e : w.extents) {
    if (logical >= e.logical && logical < e.logical + e.length) {
      return e.physical + (logical - e.logical);
    }
  }
  ADD_FAILURE() << "FIEMAP does not map byte " << logical;
  return 0;
}

// Block 1 of the file: the 904 bytes written, then zeros to the block end.
void ExpectTailBlock(const Bytes& got, const Bytes& data, std::uint32_t bs) {
  ASSERT_EQ(got.size(), bs);
  EXPECT_TRUE(std::equal(data.begin() + bs, data.end(), got.begin()));
  EXPECT_TRUE(std::all_of(got.begin() + (kFileSize - bs), got.end(), [](auto b) { return !b; }));
}

os::Result<os::ProcessResult> RunFsck(fsdriver::FsType fs, const std::string& device) {
  return os::RealSystem().Run(
      fsdriver::Driver(fs).FsckArgv(device, fsdriver::FsckSource::kDevice));
}

void ExpectFsckClean(fsdriver::FsType fs, const std::string& device) {
  auto run = RunFsck(fs, device);
  ASSERT_TRUE(run) << run.error().Message();
  auto r = oracles::ClassifyFsck(fs, *run);
  EXPECT_EQ(r.verdict, oracles::FsckVerdict::kClean) << r.reason << "\n" << run->out << run->err;
}

TEST(OfflineReaders, Ext4MatchesFiemapAndFsckIsClean) {
  REQUIRE_ROOT();
  Workdir wd;
  {
    auto fs = scratch::ScratchFs::Create(Ext4Spec(), wd.path(), "ext4");
    ASSERT_TRUE(fs) << fs.error().Message();
    const Bytes data = Pattern(kFileSize, 3);
    Written w = WriteFile((*fs)->mount_dir() / "f", data);
    ASSERT_TRUE((*fs)->Unmount());

    auto head = os::ReadExt4FileOffline((*fs)->device(), "/f", 0);
    ASSERT_TRUE(head) << head.error().Message();
    EXPECT_EQ(head->size, kFileSize);
    EXPECT_EQ(head->inode, w.inode);
    EXPECT_FALSE(head->hole || head->inline_data);
    EXPECT_EQ(head->PhysicalByteOffset(), FiemapByteOffset(w, 0));
    EXPECT_EQ(head->bytes, Bytes(data.begin(), data.begin() + 4096));

    auto tail = os::ReadExt4FileOffline((*fs)->device(), "/f", 1);
    ASSERT_TRUE(tail) << tail.error().Message();
    EXPECT_EQ(tail->block_size, 4096u);
    EXPECT_EQ(tail->PhysicalByteOffset(), FiemapByteOffset(w, 4096));
    ExpectTailBlock(tail->bytes, data, 4096);

    auto past = os::ReadExt4FileOffline((*fs)->device(), "/f", 5);
    ASSERT_TRUE(past) << past.error().Message();
    EXPECT_TRUE(past->hole);
    auto missing = os::ReadExt4FileOffline((*fs)->device(), "/nope", 0);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().Message().find("not found"), std::string::npos)
        << missing.error().Message();
    ExpectFsckClean(fsdriver::FsType::kExt4, (*fs)->device());

    // While mounted, the exclusive open is refused.
    ASSERT_TRUE((*fs)->Mount());
    EXPECT_FALSE(os::ReadExt4FileOffline((*fs)->device(), "/f", 0));
  }
  ExpectNothingLeft(wd);
}

TEST(OfflineReaders, Ext4InlineDataIsReadFromTheInode) {
  REQUIRE_ROOT();
  Workdir wd;
  {
    auto spec = Ext4Spec();
    spec.mkfs_options = "-O inline_data";
    auto fs = scratch::ScratchFs::Create(spec, wd.path(), "ext4i");
    ASSERT_TRUE(fs) << fs.error().Message();
    const Bytes data = Pattern(50, 9);
    WriteFile((*fs)->mount_dir() / "small", data);
    ASSERT_TRUE((*fs)->Unmount());
    auto view = os::ReadExt4FileOffline((*fs)->device(), "/small", 0);
    ASSERT_TRUE(view) << view.error().Message();
    EXPECT_TRUE(view->inline_data);
    EXPECT_EQ(view->physical_block, 0u);
    EXPECT_EQ(view->size, data.size());
    // The whole inline area (i_block: 60 bytes), past EOF included.
    ASSERT_EQ(view->bytes.size(), 60u);
    EXPECT_TRUE(std::equal(data.begin(), data.end(), view->bytes.begin()));
    EXPECT_TRUE(
        std::all_of(view->bytes.begin() + 50, view->bytes.end(), [](auto b) { return !b; }));
  }
  ExpectNothingLeft(wd);
}

TEST(OfflineReaders, Ext4WithAnUnreplayedJournalIsRefused) {
  REQUIRE_ROOT();
  Workdir wd;
  {
    auto fs = scratch::ScratchFs::Create(Ext4Spec(), wd.path(), "ext4j");
    ASSERT_TRUE(fs) << fs.error().Message();
    WriteFile((*fs)->mount_dir() / "f", Pattern(kFileSize, 5));
    ASSERT_TRUE((*fs)->Shutdown(os::ShutdownFlag::kLogFlush));
    ASSERT_TRUE((*fs)->Unmount());
    auto view = os::ReadExt4FileOffline((*fs)->device(), "/f", 0);
    ASSERT_FALSE(view);
    EXPECT_EQ(view.error().kind, os::ErrorKind::kNeedsJournalReplay) << view.error().Message();
    auto run = RunFsck(fsdriver::FsType::kExt4, (*fs)->device());
    ASSERT_TRUE(run) << run.error().Message();
    EXPECT_EQ(oracles::ClassifyFsck(fsdriver::FsType::kExt4, *run).verdict,
              oracles::FsckVerdict::kNeedsJournalReplay)
        << run->out;
  }
  ExpectNothingLeft(wd);
}

TEST(OfflineReaders, XfsMatchesFiemapInEveryAgAndFsckIsClean) {
  REQUIRE_ROOT();
  Workdir wd;
  {
    // 500 MiB in 4 AGs: agblocks 32000 is not a power of two, so an fsblock
    // number outside AG 0 is not a linear block number.
    scratch::ScratchSpec spec{fsdriver::FsType::kXfs, 4096, "-d agcount=4", "", 500ULL << 20, 0, {}};
    auto fs = scratch::ScratchFs::Create(spec, wd.path(), "xfs");
    ASSERT_TRUE(fs) << fs.error().Message();
    std::vector<std::pair<Bytes, Written>> files;
    for (int i = 0; i < 6; ++i) {
      auto dir = (*fs)->mount_dir() / ("d" + std::to_string(i));
      std::filesystem::create_directory(dir);
      Bytes data = Pattern(kFileSize, static_cast<std::uint8_t>(i));
      files.emplace_back(data, WriteFile(dir / "f", data));
    }
    ASSERT_TRUE((*fs)->Unmount());

    int outside_ag0 = 0;
    for (const auto& [data, w] : files) {
      for (std::uint64_t block : {0, 1}) {
        auto got = fsdriver::LocateXfsBlockOffline(os::RealSystem(), (*fs)->device(), w.inode, block);
        ASSERT_TRUE(got) << got.error().Message();
        EXPECT_EQ(got->size, kFileSize);
        ASSERT_TRUE(got->byte_offset);
        EXPECT_EQ(*got->byte_offset, FiemapByteOffset(w, block * 4096)) << "inode " << w.inode;
        auto bytes = scratch::ReadDeviceRange(**fs, *got->byte_offset, 4096);
        ASSERT_TRUE(bytes) << bytes.error().Message();
        if (block == 0) {
          EXPECT_EQ(*bytes, Bytes(data.begin(), data.begin() + 4096));
          if (got->extent->agno > 0) ++outside_ag0;
        } else {
          ExpectTailBlock(*bytes, data, 4096);
        }
      }
    }
    RecordProperty("files_outside_ag0", outside_ag0);
    EXPECT_GT(outside_ag0, 0) << "no file landed outside AG 0: the AG arithmetic is untested";
    auto hole = fsdriver::LocateXfsBlockOffline(os::RealSystem(), (*fs)->device(),
                                                files[0].second.inode, 9);
    ASSERT_TRUE(hole) << hole.error().Message();
    EXPECT_FALSE(hole->byte_offset);
    EXPECT_FALSE(fsdriver::LocateXfsBlockOffline(os::RealSystem(), (*fs)->device(), 999999999, 0));
    ExpectFsckClean(fsdriver::FsType::kXfs, (*fs)->device());
  }
  ExpectNothingLeft(wd);
}

}  // namespace
}  // namespace eofzero::itest
