// What a case may ask of a filesystem's space (pure; no I/O). What each
// filesystem can hold is its driver's (fsdriver/driver.h, "Limits").
#pragma once

#include <cstdint>
#include <string>

#include "fsdriver/units.h"

namespace eofzero::scratch {

// The bytes one case may ask to allocate on an image of `image_bytes`: a
// third of it. The rest is room for the journal or log, the inode tables
// and the files of the other cases run on the same filesystem (at the
// smallest images, mkfs leaves a little under half the image free).
std::uint64_t CaseAllocationBudget(std::uint64_t image_bytes);

using fsdriver::SizeText;  // "512M", for messages

}  // namespace eofzero::scratch
