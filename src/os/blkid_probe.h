// libblkid superblock probing: which filesystem, with which UUID, a device holds.
#pragma once

#include <string>

#include "os/error.h"

namespace eofzero::os {

struct FsIdentity {
  std::string type;  // "ext4", "xfs", ... ; empty when no filesystem was found
  std::string uuid;
};

Result<FsIdentity> ProbeFilesystem(const std::string& device);

// A new random UUID in the canonical 36-character form (libuuid).
std::string NewUuid();

}  // namespace eofzero::os
