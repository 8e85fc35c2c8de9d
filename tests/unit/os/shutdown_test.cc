#include "os/shutdown.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "temp_dir.h"

namespace eofzero::os {
namespace {

// The filesystem to shut down is found by the device the opened folder is
// on: a folder on another device (something mounted over ours) is refused
// before any ioctl, so nobody else's filesystem is ever shut down.
TEST(Shutdown, AFolderOnAnotherDeviceIsRefusedBeforeTheIoctl) {
  testing::TempDir dir;
  struct stat st {};
  ASSERT_EQ(::stat(dir.path().c_str(), &st), 0);
  auto refused = ShutdownFilesystem(dir.path().string(), st.st_dev + 1, ShutdownFlag::kLogFlush);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, ErrorKind::kSafety) << refused.error().Message();
  EXPECT_NE(refused.error().Message().find("not ours"), std::string::npos);
}

}  // namespace
}  // namespace eofzero::os
