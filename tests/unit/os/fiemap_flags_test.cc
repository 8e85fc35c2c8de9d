#include <gtest/gtest.h>

#include "os/fiemap.h"

namespace eofzero::os {
namespace {

TEST(ExtentFlagNames, NamesKnownBitsAndShowsUnknownOnesInHex) {
  EXPECT_EQ(ExtentFlagNames(0), "none");
  EXPECT_EQ(ExtentFlagNames(0x7), "LAST|UNKNOWN|DELALLOC");
  EXPECT_EQ(ExtentFlagNames(0x301), "LAST|NOT_ALIGNED|DATA_INLINE");
  EXPECT_EQ(ExtentFlagNames(0x2001 | 0x80000), "LAST|SHARED|0x80000");
}

}  // namespace
}  // namespace eofzero::os
