// The file-side oracles: each reads the block that holds the old EOF through
// one kernel path (of `sys`, the case's System) and returns what it saw as a
// BlockView.
#pragma once

#include <cstdint>
#include <string>

#include "engine/observations.h"
#include "os/error.h"
#include "os/system.h"

namespace eofzero::engine {

struct BlockRequest {
  std::string path;            // the file
  int fd = -1;                 // an open descriptor of it
  std::uint64_t block_offset;  // file offset of the block
  std::uint32_t block_size;
  ByteRange gap;  // relative to the block start
  Phase phase;
};

// pread through the page cache; stops at EOF, so the view may be short.
os::Result<BlockView> ReadBuffered(os::System& sys, const BlockRequest& req);

// Maps the page(s) covering the block and copies the block out. Refuses
// (kInvalid) when EOF lies before the block's page, where touching the
// mapping would raise SIGBUS.
os::Result<BlockView> ReadMmapped(os::System& sys, const BlockRequest& req);

// O_DIRECT read of the aligned range covering the block, with alignment from
// statx(STATX_DIOALIGN) or, when the kernel does not report it,
// `fallback_align` (the device's logical block size). Keeps the whole user
// buffer, including bytes past a short count at EOF.
os::Result<BlockView> ReadDirect(os::System& sys, const BlockRequest& req,
                                 std::uint32_t fallback_align);

}  // namespace eofzero::engine
