#include "scratch/fs_limits.h"

namespace eofzero::scratch {

std::uint64_t CaseAllocationBudget(std::uint64_t image_bytes) { return image_bytes / 3; }

}  // namespace eofzero::scratch
