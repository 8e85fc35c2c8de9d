#include "guest/host_tools.h"

#include <algorithm>

namespace eofzero::guest {

std::string HostTool::Missing() const {
  return program + " not found: apt-get install " + package;
}

std::vector<HostTool> KernelsHostTools(const std::vector<KernelSpec>& kernels,
                                       const std::vector<fsdriver::FsType>& filesystems) {
  std::vector<HostTool> tools = {{"qemu-system-x86_64", "qemu-system-x86"},
                                 {"busybox", "busybox-static"}};
  auto any = [&](auto pred) { return std::ranges::any_of(kernels, pred); };
  const bool from_debian = any([](const KernelSpec& k) {
    return k.kind == KernelSpec::Kind::kSuite || k.kind == KernelSpec::Kind::kPackage;
  });
  const bool debs =
      from_debian || any([](const KernelSpec& k) { return k.kind == KernelSpec::Kind::kDebFile; });
  if (from_debian) {
    tools.push_back({"apt-get", "apt"});
    tools.push_back({kDebianKeyring, "debian-archive-keyring"});
  }
  if (debs) tools.push_back({"dpkg-deb", "dpkg"});
  for (fsdriver::FsType fs : filesystems) {
    const auto& driver = fsdriver::Driver(fs);
    for (const auto& program : driver.GuestTools())
      tools.push_back({program, std::string(driver.ToolsPackage())});
  }
  return tools;
}

HostTool ModuleDecompressor(const std::string& module_file) {
  if (module_file.ends_with(".xz")) return {"xz", "xz-utils"};
  if (module_file.ends_with(".zst")) return {"zstd", "zstd"};
  if (module_file.ends_with(".gz")) return {"gzip", "gzip"};
  return {};
}

}  // namespace eofzero::guest
