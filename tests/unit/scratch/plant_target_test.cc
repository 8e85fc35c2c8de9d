// Plant-target rules over extent lists recorded on this machine's kernel
// (fixtures/fiemap/), plus synthetic edge cases.
#include "scratch/plant_target.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace eofzero::scratch {
namespace {

struct Recorded {
  std::uint64_t device_size = 0;
  std::vector<os::Extent> extents;
};

Recorded Load(const std::string& name) {
  std::ifstream in(std::string(EOFZERO_FIXTURES_DIR) + "/fiemap/" + name + ".extents");
  EXPECT_TRUE(in) << name;
  Recorded r;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    if (line.rfind("device_size", 0) == 0) {
      std::string key;
      ls >> key >> r.device_size;
      continue;
    }
    os::Extent e;
    std::string flags;
    ls >> e.logical >> e.physical >> e.length >> flags;
    e.flags = static_cast<std::uint32_t>(std::stoul(flags, nullptr, 16));
    r.extents.push_back(e);
  }
  return r;
}

TEST(LocateBlockForPlant, WrittenExtentGivesItsDeviceOffset) {
  auto r = Load("ext4_written");
  auto where = LocateBlockForPlant(r.extents, 0, 4096, r.device_size);
  ASSERT_TRUE(where) << where.error();
  EXPECT_EQ(where->device_offset, 16953344u);
  EXPECT_EQ(where->length, 4096u);
}

TEST(LocateBlockForPlant, LaterBlockOfMultiExtentFile) {
  auto r = Load("xfs_multi");
  auto second = LocateBlockForPlant(r.extents, 4096, 4096, r.device_size);
  ASSERT_TRUE(second) << second.error();
  EXPECT_EQ(second->device_offset, 53248u + 4096u);
  auto last = LocateBlockForPlant(r.extents, 65536, 4096, r.device_size);
  ASSERT_TRUE(last) << last.error();
  EXPECT_EQ(last->device_offset, 61440u);
}

TEST(LocateBlockForPlant, HoleIsRefused) {
  auto r = Load("xfs_multi");
  auto where = LocateBlockForPlant(r.extents, 16384, 4096, r.device_size);
  ASSERT_FALSE(where);
  EXPECT_NE(where.error().find("hole"), std::string::npos);
}

struct RefusedCase {
  const char* fixture;
  const char* flag;
};
void PrintTo(const RefusedCase& r, std::ostream* os) { *os << r.fixture << " " << r.flag; }

class RefusedExtents : public testing::TestWithParam<RefusedCase> {};

TEST_P(RefusedExtents, AreRefusedNamingTheFlag) {
  auto r = Load(GetParam().fixture);
  auto where = LocateBlockForPlant(r.extents, 0, 4096, r.device_size);
  ASSERT_FALSE(where) << GetParam().fixture;
  EXPECT_NE(where.error().find(GetParam().flag), std::string::npos) << where.error();
}

INSTANTIATE_TEST_SUITE_P(Recorded, RefusedExtents,
                         testing::Values(RefusedCase{"ext4_delalloc", "DELALLOC"},
                                         RefusedCase{"xfs_delalloc", "UNKNOWN"},
                                         RefusedCase{"ext4_inline", "DATA_INLINE"},
                                         RefusedCase{"ext4_inline", "NOT_ALIGNED"},
                                         RefusedCase{"xfs_unwritten", "UNWRITTEN"},
                                         RefusedCase{"xfs_shared", "SHARED"}));

TEST(LocateBlockForPlant, EncodedAndEncryptedAreRefused) {
  for (std::uint32_t flag : {os::extent_flag::kEncoded, os::extent_flag::kDataEncrypted}) {
    std::vector<os::Extent> extents = {{0, 8192, 4096, flag}};
    EXPECT_FALSE(LocateBlockForPlant(extents, 0, 4096, 1 << 20)) << flag;
  }
}

TEST(LocateBlockForPlant, BlockPastDeviceEndIsRefused) {
  auto r = Load("ext4_written");
  auto where = LocateBlockForPlant(r.extents, 0, 4096, 16953344u + 2048u);
  ASSERT_FALSE(where);
  EXPECT_NE(where.error().find("device"), std::string::npos);
}

TEST(LocateBlockForPlant, MisalignedPhysicalIsRefused) {
  std::vector<os::Extent> extents = {{0, 8192 + 512, 8192, 0}};
  auto where = LocateBlockForPlant(extents, 0, 4096, 1 << 20);
  ASSERT_FALSE(where);
  EXPECT_NE(where.error().find("not aligned"), std::string::npos);
}

TEST(LocateBlockForPlant, BlockRunningPastItsExtentIsRefused) {
  std::vector<os::Extent> extents = {{0, 8192, 2048, 0}};
  EXPECT_FALSE(LocateBlockForPlant(extents, 0, 4096, 1 << 20));
}

TEST(InsideMappedExtent, BoundsAreHalfOpenAndOverflowSafe) {
  BlockLocation where{8192, 4096, {0, 8192, 8192, 0}};
  EXPECT_TRUE(InsideMappedExtent(where, 8192, 4096, 1 << 20));
  EXPECT_TRUE(InsideMappedExtent(where, 12288, 4096, 1 << 20));
  EXPECT_FALSE(InsideMappedExtent(where, 16384, 4096, 1 << 20));  // one block past the end
  EXPECT_FALSE(InsideMappedExtent(where, 4096, 4096, 1 << 20));   // before the start
  EXPECT_FALSE(InsideMappedExtent(where, 8192, 0, 1 << 20));
  EXPECT_FALSE(InsideMappedExtent(where, UINT64_MAX - 10, 4096, UINT64_MAX));
  EXPECT_FALSE(InsideMappedExtent(where, 12288, 4096, 14000));  // past the device end
}

}  // namespace
}  // namespace eofzero::scratch
