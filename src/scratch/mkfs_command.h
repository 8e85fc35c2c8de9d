// Builds the mkfs command line for a scratch filesystem (pure; no I/O).
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scratch/fs_type.h"

namespace eofzero::scratch {

// Splits an option string on blanks, as fstests splits MKFS_OPTIONS.
std::vector<std::string> SplitWords(std::string_view text);

// The block size that extra mkfs options set for `fs`, if any: ext4 "-b N"
// or "-bN"; xfs "-b size=N" or "-bsize=N"; N may end in k. nullopt when they set none. The error (one line, without the
// option's name) says why a block size they set cannot be honoured: not
// readable, or not a power of two from 1024 to 65536.
std::expected<std::optional<std::uint32_t>, std::string> MkfsBlockSize(FsType fs,
                                                                       std::string_view options);

// mkfs.ext4 -F -q -b BS -U UUID -E nodiscard [extra] DEVICE
// mkfs.xfs  -f -q -K -b size=BS -m uuid=UUID [extra] DEVICE
// The UUID is ours so that the raw-write safety check can prove the device
// still holds the filesystem this run made. Extra options come last so a
// user can override the defaults; when they set a block size themselves
// (MkfsBlockSize), the tool's own "-b" is left out.
std::vector<std::string> MkfsArgv(FsType fs, const std::string& device, std::uint32_t block_size,
                                  const std::string& uuid, std::string_view extra_options);

}  // namespace eofzero::scratch
