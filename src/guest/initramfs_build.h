// Builds a guest's initramfs on the host: gathers what InitramfsManifest
// lists (the tools and their libraries as the host's loader finds them, the
// kernel's modules in load order, uncompressed), and writes it as an
// uncompressed cpio archive into the cache, named by a digest of its inputs,
// so the next run with the same kernel, binary and cases reuses it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "guest/initramfs.h"
#include "os/error.h"

namespace eofzero::guest {

// The tools eofzero runs, by their name in the guest.
const std::vector<std::string>& GuestTools();

// The files `ldd` names (pure): "libc.so.6 => /lib/…/libc.so.6 (0x…)" and
// "/lib64/ld-linux-x86-64.so.2 (0x…)"; not the vDSO.
std::vector<std::filesystem::path> ParseLdd(const std::string& text);

struct InitramfsRequest {
  std::filesystem::path modules_dir;  // the kernel's lib/modules/VERSION; empty: none
  std::filesystem::path eofzero;      // the binary to run in the guest
  std::filesystem::path cases_dir;    // the catalog
  std::vector<std::filesystem::path> extra_cases_dirs;  // the user's --cases-dir, in order
  // After `eofzero run` and the scratch device, one list per configuration.
  std::vector<std::vector<std::string>> runs;
  GuestCommand command = GuestCommand::kRun;  // `run`, or `selftest` and its arguments
  std::filesystem::path cache_dir;    // where archives are kept
  std::filesystem::path work_dir;     // for uncompressed modules (removed by the caller)
};

// The archive's path (built now, or found in the cache), or why it could
// not be built (a tool missing on the host, a module neither present nor
// built in, a module that cannot be read).
os::Result<std::filesystem::path> BuildInitramfs(const InitramfsRequest& request);

}  // namespace eofzero::guest
