// Raw device access to a ScratchFs, behind the safety rules every raw byte
// passes through:
//  - the filesystem is unmounted (the device is opened O_EXCL, so a mount
//    anywhere makes the open fail);
//  - libblkid finds on the device the filesystem type and UUID this run made;
//  - a write stays inside the FIEMAP extent it was planned for and inside the
//    device.
// A refused request returns ErrorKind::kSafety and touches nothing.
#pragma once

#include <cstdint>

#include "os/bytes.h"
#include "os/error.h"
#include "scratch/plant_target.h"
#include "scratch/scratch_fs.h"

namespace eofzero::scratch {

os::Status WriteInsideExtent(const ScratchFs& fs, const BlockLocation& where, std::uint64_t offset,
                             ByteView data);

os::Result<Bytes> ReadDeviceRange(const ScratchFs& fs, std::uint64_t offset, std::uint64_t length);

}  // namespace eofzero::scratch
