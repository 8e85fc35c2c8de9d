#include "guest/cpio.h"

#include <fmt/format.h>
#include <sys/stat.h>

namespace eofzero::guest {

void CpioWriter::Directory(std::string_view path, std::uint32_t mode) {
  Entry(path, S_IFDIR | mode, {});
}

void CpioWriter::File(std::string_view path, std::string_view data, std::uint32_t mode) {
  Entry(path, S_IFREG | mode, data);
}

void CpioWriter::Symlink(std::string_view path, std::string_view target) {
  Entry(path, S_IFLNK | 0777, target);
}

void CpioWriter::CharDevice(std::string_view path, std::uint32_t major, std::uint32_t minor,
                            std::uint32_t mode) {
  Entry(path, S_IFCHR | mode, {}, major, minor);
}

void CpioWriter::Finish() { Entry("TRAILER!!!", 0, {}); }

// newc: "070701", then 13 fields of 8 hex digits (inode, mode, uid, gid,
// nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize
// with its NUL, check), the name, padding to 4, the data, padding to 4.
void CpioWriter::Entry(std::string_view path, std::uint32_t mode, std::string_view data,
                       std::uint32_t rdev_major, std::uint32_t rdev_minor) {
  const bool trailer = path == "TRAILER!!!";
  const std::string header = fmt::format(
      "070701{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}{:08X}",
      trailer ? 0 : next_inode_++, mode, 0, 0, (mode & S_IFMT) == S_IFDIR ? 2 : 1, 0, data.size(),
      0, 0, rdev_major, rdev_minor, path.size() + 1, 0);
  out_ << header << path << '\0';
  written_ += header.size() + path.size() + 1;
  Pad();
  out_.write(data.data(), static_cast<std::streamsize>(data.size()));
  written_ += data.size();
  Pad();
}

void CpioWriter::Pad() {
  while (written_ % 4 != 0) {
    out_.put('\0');
    ++written_;
  }
}

}  // namespace eofzero::guest
