#include "os/loop_device.h"

#include <fcntl.h>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cstring>

#include "os/file_io.h"

namespace eofzero::os {

Result<LoopDevice> LoopDevice::Attach(const std::string& backing_file, std::uint32_t sector_size) {
  auto backing = OpenFile(backing_file, O_RDWR);
  if (!backing) return std::unexpected(backing.error());
  auto control = OpenFile("/dev/loop-control", O_RDWR);
  if (!control) return std::unexpected(control.error());

  // Another process may claim the free device between GET_FREE and
  // CONFIGURE; LOOP_CONFIGURE then fails with EBUSY and we ask again.
  for (int attempt = 0; attempt < 16; ++attempt) {
    int index = ::ioctl(control->get(), LOOP_CTL_GET_FREE);
    if (index < 0) return FailErrno("LOOP_CTL_GET_FREE");
    std::string path = "/dev/loop" + std::to_string(index);
    auto dev = OpenFile(path, O_RDWR);
    if (!dev) return std::unexpected(dev.error());

    loop_config config{};
    config.fd = static_cast<__u32>(backing->get());
    config.block_size = sector_size;
    config.info.lo_flags = LO_FLAGS_AUTOCLEAR;
    std::strncpy(reinterpret_cast<char*>(config.info.lo_file_name), backing_file.c_str(),
                 LO_NAME_SIZE - 1);
    if (::ioctl(dev->get(), LOOP_CONFIGURE, &config) == 0) return LoopDevice(path, std::move(*dev));
    if (errno != EBUSY) return FailErrno("LOOP_CONFIGURE " + path + " <- " + backing_file);
  }
  return Fail(ErrorKind::kSystem, "LOOP_CONFIGURE: no free loop device after 16 attempts");
}

bool FileOnRotationalDevice(const std::string& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) < 0 || major(st.st_dev) == 0) return false;  // no block device
  const std::string dev = "/sys/dev/block/" + std::to_string(major(st.st_dev)) + ":" +
                          std::to_string(minor(st.st_dev));
  // A partition's queue is its disk's, one folder up.
  for (const std::string& queue : {dev + "/queue/rotational", dev + "/../queue/rotational"}) {
    auto text = ReadTextFile(queue);
    if (text) return text->starts_with("1");
  }
  return false;
}

Status LoopDevice::SetRotational(bool rotational) {
  const std::string name = path_.substr(path_.rfind('/') + 1);
  return WriteTextFile("/sys/block/" + name + "/queue/rotational", rotational ? "1" : "0");
}

Status LoopDevice::Detach() {
  if (!fd_.valid()) return {};
  // If the device is still open elsewhere (udev probing it), the kernel defers
  // the detach to the last close (autoclear) and returns 0.
  int rc = ::ioctl(fd_.get(), LOOP_CLR_FD, 0);
  int err = errno;
  fd_ = UniqueFd();
  if (rc < 0 && err != ENXIO) return FailErrno("LOOP_CLR_FD " + path_, err);
  return {};
}

LoopDevice::~LoopDevice() { (void)Detach(); }

}  // namespace eofzero::os
