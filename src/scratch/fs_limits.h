// What the filesystems the tool builds can hold, so that a case is checked
// against them before anything is built (pure; no I/O). The numbers were
// measured with the e2fsprogs 1.47.0 / xfsprogs 6.1.0 / Linux 6.18 this
// project runs on; fs_limits.cc says where each comes from.
#pragma once

#include <cstdint>
#include <string>

#include "scratch/fs_type.h"

namespace eofzero::scratch {

// The image a run makes when --image-size is not given.
std::uint64_t DefaultImageBytes(FsType fs);

// The smallest image the tool makes `fs` on, with its own mkfs arguments and
// block size `block_size`: below it mkfs fails (xfs), or makes an ext4 with
// no journal, on which every case would be a SKIP.
std::uint64_t MinImageBytes(FsType fs, std::uint32_t block_size);
// "mkfs.xfs needs 300M", "mkfs.ext4 needs 8M with 4096-byte blocks (2048
// blocks, for a journal)": MinImageBytes, said.
std::string MinImageText(FsType fs, std::uint32_t block_size);

// The largest file `fs` holds with blocks of `block_size` (the kernel's
// s_maxbytes): no offset + length a step uses may go past it.
std::uint64_t MaxFileBytes(FsType fs, std::uint32_t block_size);

// The bytes one case may ask to allocate on an image of `image_bytes`: a
// third of it. The rest is room for the journal or log, the inode tables
// and the files of the other cases run on the same filesystem (at the
// smallest images, mkfs leaves a little under half the image free).
std::uint64_t CaseAllocationBudget(std::uint64_t image_bytes);

// "512M", "300M", "8M", "104K" or "12345" (bytes), for messages.
std::string SizeText(std::uint64_t bytes);

}  // namespace eofzero::scratch
