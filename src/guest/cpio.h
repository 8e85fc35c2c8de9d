// A cpio archive in the "newc" format the kernel unpacks as an initramfs
// (pure: it writes to a stream). Entries are written in the order added:
// a folder before what it holds.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

namespace eofzero::guest {

class CpioWriter {
 public:
  explicit CpioWriter(std::ostream& out) : out_(out) {}
  void Directory(std::string_view path, std::uint32_t mode = 0755);
  void File(std::string_view path, std::string_view data, std::uint32_t mode = 0644);
  void Symlink(std::string_view path, std::string_view target);
  void CharDevice(std::string_view path, std::uint32_t major, std::uint32_t minor,
                  std::uint32_t mode = 0600);
  // The closing "TRAILER!!!" entry; nothing may be added after it.
  void Finish();

 private:
  void Entry(std::string_view path, std::uint32_t mode, std::string_view data,
             std::uint32_t rdev_major = 0, std::uint32_t rdev_minor = 0);
  void Pad();
  std::ostream& out_;
  std::uint64_t written_ = 0;
  std::uint32_t next_inode_ = 1;
};

}  // namespace eofzero::guest
