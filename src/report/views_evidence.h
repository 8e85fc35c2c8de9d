// The evidence of a disagreement between the two views of the disk after
// recovery (oracles/disk_views.h), as text for every report: what each view
// is, which facts differ, both fsck runs in full, and the metadata lines that
// differ, so a kernel developer sees the mechanism without rerunning anything.
#pragma once

#include <string>

#include "oracles/disk_views.h"

namespace eofzero::report {

// Lines indented by four spaces, like the rest of a case's evidence.
std::string RenderViewsEvidence(const oracles::DiskViewsDisagreement& views);

}  // namespace eofzero::report
