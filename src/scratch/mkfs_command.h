// Builds the mkfs command line for a scratch filesystem (pure; no I/O).
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fsdriver/registry.h"
#include "fsdriver/units.h"

namespace eofzero::scratch {

using fsdriver::SplitWords;

// The block size that extra mkfs options set for `fs`, if any (the last
// "-b", read by the driver: ext4 "-b N", xfs "-b size=N"; N may end in k). nullopt when they set none. The error (one line, without the
// option's name) says why a block size they set cannot be honoured: not
// readable, or not a power of two from 1024 to 65536.
std::expected<std::optional<std::uint32_t>, std::string> MkfsBlockSize(fsdriver::FsType fs,
                                                                       std::string_view options);

// The driver's MkfsCommand, then [extra] DEVICE, e.g.
// mkfs.ext4 -F -q -b BS -U UUID -E nodiscard [extra] DEVICE
// The UUID is ours so that the raw-write safety check can prove the device
// still holds the filesystem this run made. Extra options come last so a
// user can override the defaults; when they set a block size themselves
// (MkfsBlockSize), the tool's own "-b" is left out.
std::vector<std::string> MkfsArgv(fsdriver::FsType fs, const std::string& device, std::uint32_t block_size,
                                  const std::string& uuid, std::string_view extra_options);

}  // namespace eofzero::scratch
