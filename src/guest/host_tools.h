// The programs `eofzero kernels` runs on the host, and the Debian package
// that has each (pure): checked before anything is fetched or built, so a
// missing one is one line saying what to install, not an ERROR row later.
#pragma once

#include <string>
#include <vector>

#include "guest/kernel_spec.h"

#include "fsdriver/registry.h"

namespace eofzero::guest {

struct HostTool {
  std::string program;  // looked up in PATH; an absolute path: a file that must exist
  std::string package;
  // "qemu-system-x86_64 not found: apt-get install qemu-system-x86"
  std::string Missing() const;
};

// What booting `kernels` needs: QEMU and a static busybox always; apt-get,
// dpkg-deb and Debian's archive keyring for suites and packages; dpkg-deb for
// a .deb; and the tools of each filesystem it runs, which go into the guest
// (fsdriver/driver.h, GuestTools).
std::vector<HostTool> KernelsHostTools(const std::vector<KernelSpec>& kernels,
                                       const std::vector<fsdriver::FsType>& filesystems = {});

// Debian's archive keyring, which the private apt configuration trusts.
inline constexpr const char* kDebianKeyring = "/usr/share/keyrings/debian-archive-keyring.gpg";

// The program that uncompresses a module file ("x.ko.xz": xz from xz-utils,
// ".zst": zstd, ".gz": gzip); an empty program for a plain ".ko".
HostTool ModuleDecompressor(const std::string& module_file);

}  // namespace eofzero::guest
