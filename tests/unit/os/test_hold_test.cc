#include "os/test_hold.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <thread>

namespace eofzero::os {
namespace {

TEST(ParseHoldPoint, SplitsAtTheFirstColon) {
  auto point = ParseHoldPoint("/tmp/h.sock:truncate_up:11: plant");
  ASSERT_TRUE(point) << point.error().Message();
  EXPECT_EQ(point->socket, "/tmp/h.sock");
  EXPECT_EQ(point->text, "truncate_up:11: plant");
}

TEST(ParseHoldPoint, RefusesWhatIsNotSocketColonText) {
  for (const char* value : {"no-colon", ":text", "/tmp/h.sock:"}) {
    auto point = ParseHoldPoint(value);
    ASSERT_FALSE(point) << value;
    EXPECT_EQ(point.error().Message(), std::string("EOFZERO_TEST_HOLD: '") + value +
                                           "' is not SOCKET:TEXT (a test-only hold)");
  }
}

TEST(ParseHoldPoint, RefusesASocketPathTooLongForAUnixSocket) {
  auto point = ParseHoldPoint("/" + std::string(107, 's') + ":text");
  ASSERT_FALSE(point);
  EXPECT_NE(point.error().Message().find("is longer than 107 bytes"), std::string::npos)
      << point.error().Message();
  EXPECT_TRUE(ParseHoldPoint("/" + std::string(106, 's') + ":text"));
}

TEST(HoldAt, NobodyListeningGoesOnAtOnce) {
  auto held = HoldAt("/nonexistent/eofzero-hold.sock", "a message");
  ASSERT_TRUE(held) << held.error().Message();
  EXPECT_FALSE(*held);
}

// A test listening: the process says who it is and where, and waits until
// the test sends a byte (or closes the connection).
TEST(HoldAt, WaitsUntilTheTestLetsItGoOn) {
  char dir[] = "/tmp/eofzero-hold-test.XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  const std::string socket = std::string(dir) + "/s";
  const int listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, socket.c_str(), sizeof address.sun_path - 1);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener, 1), 0);
  std::atomic<bool> returned = false;
  Result<bool> result = false;
  std::thread process([&] {
    result = HoldAt(socket, "truncate_up:11: plant");
    returned = true;
  });
  const int held = ::accept(listener, nullptr, nullptr);
  ASSERT_GE(held, 0);
  std::string said;
  char buf[256];
  for (ssize_t n; (n = ::read(held, buf, sizeof buf)) > 0;) said.append(buf, n);
  EXPECT_EQ(said, std::to_string(::getpid()) + "\ntruncate_up:11: plant");
  EXPECT_FALSE(returned) << "it went on before it was let go";
  ASSERT_EQ(::write(held, "x", 1), 1);
  process.join();
  ASSERT_TRUE(result) << result.error().Message();
  EXPECT_TRUE(*result);
  ::close(held);
  ::close(listener);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace eofzero::os
