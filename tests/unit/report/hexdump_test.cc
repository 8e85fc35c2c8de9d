#include "report/hexdump.h"

#include <gtest/gtest.h>

namespace eofzero::report {
namespace {

TEST(RenderHexdump, LineHasOffsetHexAndAscii) {
  Bytes b = {'E', 'O', 'F', 'Z', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0x7f};
  std::string out = RenderHexdump(b, {}, nullptr);
  EXPECT_EQ(out,
            "00000000  45 4f 46 5a 00 01 02 03  04 05 06 07 08 09 0a 7f  |EOFZ............|\n");
}

TEST(RenderHexdump, MarkedBytesGetAMarkerLineUnderThem) {
  Bytes b(32, 0);
  b[17] = 0x41;
  std::string out = RenderHexdump(b, {}, [&](std::uint64_t i) { return i == 17 ? '^' : ' '; });
  EXPECT_EQ(out,
            "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n"
            "00000010  00 41 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |.A..............|\n"
            "             ^^\n");
}

TEST(RenderHexdump, FocusShowsTheGapLinesWithOneLineBefore) {
  Bytes b(4096, 0);
  HexdumpOptions opt;
  opt.display_base = 0x10000;
  opt.focus = {4080, 4096};
  std::string out = RenderHexdump(b, opt, nullptr);
  EXPECT_EQ(out,
            "00010fe0  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n"
            "00010ff0  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n");
}

TEST(RenderHexdump, LongFocusIsElidedInTheMiddle) {
  Bytes b(4096, 0);
  HexdumpOptions opt;
  opt.focus = {1, 4096};
  opt.max_lines = 4;
  std::string out = RenderHexdump(b, opt, nullptr);
  EXPECT_NE(out.find("... (252 lines elided)"), std::string::npos) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 5);
}

TEST(RenderHexdump, ShortLastLineIsPadded) {
  Bytes b = {1, 2, 3};
  EXPECT_EQ(RenderHexdump(b, {}, nullptr),
            "00000000  01 02 03                                          |...|\n");
  EXPECT_EQ(RenderHexdump({}, {}, nullptr), "(no bytes)\n");
}

}  // namespace
}  // namespace eofzero::report
