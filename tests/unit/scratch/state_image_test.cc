#include "scratch/state_image.h"

#include <gtest/gtest.h>
#include <linux/falloc.h>

#include <fstream>
#include <iterator>

#include "temp_dir.h"

namespace eofzero::scratch {
namespace {

Bytes Filled(std::size_t n, std::uint8_t first) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(first + i / 512);
  return b;
}

// Overlapping writes, a discard, a zero write and barriers, on 16 sectors.
ParsedLog Sample() {
  ParsedLog log;
  log.header = {8192, 512, 4096, 0};
  const LogRecord barrier{RecordType::kBarrier, 0, 0, 0, {}};
  log.records = {WriteRecord(0, Filled(4096, 1)),
                 WriteRecord(1000, Filled(1500, 20)),
                 barrier,
                 {RecordType::kDiscard, 0, 512, 1024, {}},
                 WriteRecord(3000, Filled(2048, 40)),
                 WriteRecord(2048, Bytes(512, 0)),
                 barrier,
                 WriteRecord(7680, Filled(512, 60)),
                 {RecordType::kZeroRange, 0, 0, 100, {}}};
  return log;
}

std::string Replayed(const ParsedLog& log, const std::string& state) {
  testing::TempDir dir;
  const auto out = dir.path() / "s.img";
  EXPECT_TRUE(ReplayState(log, ParseStateAddress(state).value(), out.string()));
  std::ifstream in(out, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string Served(StateImage& image, std::uint64_t offset, std::size_t length) {
  std::string out(length, '?');
  auto n = image.Read(offset, std::span(reinterpret_cast<std::uint8_t*>(out.data()), length));
  out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
  return out;
}

TEST(StateImage, ServesTheBytesLogReplayWrites) {
  const ParsedLog log = Sample();
  for (const char* state :
       {"0", "1", "2", "final", "1:0,2", "1:1-2", "1:1@1-2,2@0", "2:0@0", "2:1"}) {
    SCOPED_TRACE(state);
    auto image = StateImage::Create(log, ParseStateAddress(state).value(), -1);
    ASSERT_TRUE(image) << image.error().Message();
    const std::string want = Replayed(log, state);
    EXPECT_TRUE(Served(**image, 0, 8192) == want);
    // Reads that start and end inside pieces.
    EXPECT_TRUE(Served(**image, 777, 3333) == want.substr(777, 3333));
    EXPECT_EQ(Served(**image, 8000, 1000).size(), 192u);  // stops at the end
  }
}

TEST(StateImage, WritesGoToAThrowawayOverlayAndLeaveTheLogAlone) {
  const ParsedLog log = Sample();
  const ParsedLog before = log;
  auto image = StateImage::Create(log, ParseStateAddress("final").value(), -1);
  ASSERT_TRUE(image);
  const Bytes data(700, 0xee);
  ASSERT_EQ((*image)->Write(1100, data), 0);
  EXPECT_TRUE(Served(**image, 1100, 700) == std::string(700, '\xee'));
  ASSERT_EQ((*image)->Fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 1200, 100), 0);
  EXPECT_TRUE(Served(**image, 1200, 100) == std::string(100, '\0'));
  EXPECT_TRUE(Served(**image, 1300, 500) == std::string(500, '\xee'));
  EXPECT_EQ((*image)->overlay_bytes(), 700u);
  EXPECT_EQ((*image)->Write(8000, data), EFBIG);
  EXPECT_EQ(log.records, before.records);
  EXPECT_TRUE(Replayed(log, "final").substr(1100, 700) != std::string(700, '\xee'));
}

// Sector 2^55 of 512 bytes starts at 2^64: a product would wrap to sector 0.
TEST(StateImage, ATornSectorPastTheWriteIsRefusedWithoutOverflow) {
  const ParsedLog log = Sample();  // epoch 2's change 0 is a 512-byte write
  for (const char* state : {"2:0@36028797018963967-36028797018963968", "2:0@36028797018963968",
                            "2:0@1"}) {
    auto image = StateImage::Create(log, ParseStateAddress(state).value(), -1);
    ASSERT_FALSE(image) << state;
    EXPECT_NE(image.error().Message().find("no sector"), std::string::npos)
        << image.error().Message();
  }
}

}  // namespace
}  // namespace eofzero::scratch
