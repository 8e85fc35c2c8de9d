// The kernels of an `eofzero kernels` run, one line each: the kernel asked
// for, the release the guest reported, where it came from, and the boot and
// run time of its guest (plain text or a markdown table).
#pragma once

#include <string>

#include "report/record.h"
#include "report/table.h"

namespace eofzero::report {

// Empty when no configuration ran in a guest.
std::string RenderKernelTimes(const RunRecord& record, TableStyle style);

}  // namespace eofzero::report
