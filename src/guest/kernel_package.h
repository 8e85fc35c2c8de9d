// Debian kernels for guests: fetched with apt under a private configuration
// (its own sources, lists and archive cache under the kernel cache: nothing
// of the host's apt state is read or changed, nothing is installed), taken
// apart with `dpkg-deb -x` into the cache, and kept there for the next run.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "guest/kernel_spec.h"
#include "os/error.h"

namespace eofzero::guest {

struct KernelCache {
  std::filesystem::path dir;  // --cache-dir, $EOFZERO_KERNEL_CACHE, else /var/cache/eofzero/kernels
  std::string mirror = "http://deb.debian.org/debian";
  std::string security_mirror = "http://deb.debian.org/debian-security";
};

// A kernel ready to boot.
struct BootableKernel {
  std::filesystem::path image;        // the bzImage (boot/vmlinuz-…)
  std::filesystem::path modules_dir;  // lib/modules/VERSION; empty: none
  std::string origin;                 // "linux-image-6.1.0-56-amd64 (bookworm)", the .deb, the path
};

// The suite's sources.list for the private configuration (pure): the suite,
// and its security suite for bookworm and trixie.
std::string SourcesList(const std::string& suite, const KernelCache& cache);
// The -o options that make apt-get and apt-cache use only the suite's own
// folders under the cache (pure).
std::vector<std::string> AptOptions(const std::filesystem::path& apt_dir);
// The linux-image package `apt-cache depends linux-image-amd64` names (pure);
// empty when none.
std::string DependedImage(const std::string& apt_cache_depends);

// The parts a kernel package depends on that hold its image and modules
// (pure): the linux-binary-*, linux-modules-* and linux-base-VERSION
// (modules.builtin) that `apt-cache depends` names (Debian's packages from
// 7.x on); none for older ones.
std::vector<std::string> KernelParts(const std::string& apt_cache_depends);

// Fetches (or finds in the cache) and extracts the kernel `spec` names. An
// error says which step failed, with apt's or dpkg-deb's own words.
os::Result<BootableKernel> ObtainKernel(const KernelSpec& spec, const KernelCache& cache);

}  // namespace eofzero::guest
