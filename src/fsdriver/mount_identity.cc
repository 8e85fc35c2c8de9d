#include "fsdriver/mount_identity.h"

#include <algorithm>

#include "fsdriver/registry.h"
#include "os/file_io.h"

namespace eofzero::fsdriver {

MountDevices TableDeviceOf(const os::MountEntry& m) { return {{m.devno}, "", m.devno}; }

os::Result<MountDevices> DevicesOfMount(const os::MountEntry& m, const std::string& reach) {
  auto fs = ParseFsType(m.fstype);
  if (!fs) return TableDeviceOf(m);
  return Driver(*fs).DevicesOfMount(m, reach);
}

bool SitsOn(const MountDevices& d, std::uint64_t devno) {
  return std::find(d.devices.begin(), d.devices.end(), devno) != d.devices.end();
}

bool IsOurs(const MountDevices& d, std::uint64_t devno, const std::string& uuid) {
  return d.devices == std::vector<std::uint64_t>{devno} && (d.uuid.empty() || d.uuid == uuid);
}

std::string DevicesText(const MountDevices& d) {
  std::string out;
  for (auto devno : d.devices) out += (out.empty() ? "" : ", ") + os::DeviceText(devno);
  return (d.devices.size() == 1 ? "device " : "devices ") + (out.empty() ? "none" : out);
}

}  // namespace eofzero::fsdriver
