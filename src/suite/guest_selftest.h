// `eofzero kernels --selftest` (pure): `eofzero selftest` in each guest, one
// per configuration (filesystem, block size), its JSON document
// (report/selftest_json.h) read back as that configuration's record whose
// cases are the self-test's rows: PASS where the oracle detected its fault,
// FAIL where it did not, SKIP where the control does not apply, ERROR where
// detection cannot be shown (a baseline that did not pass, a filesystem not
// made), each with the cell's reason. So the guests' plumbing (groups, the
// ERROR rows of a guest that wrote nothing, the JSON report) is `kernels`'
// own; the host prints the table `selftest` prints, a column per kernel ×
// configuration, and exits as `selftest` does.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "report/record.h"
#include "report/selftest_report.h"
#include "suite/guest_records.h"

namespace eofzero::suite {

// Every filesystem at `block_size`, the self-test's rows as its cases.
GuestPlan SelftestPlan(const std::vector<std::string>& filesystems, std::uint32_t block_size);

// What follows `eofzero selftest --workdir DIR` in the guest for each of the
// plan's configurations, in ConfigList's order: --fs FS --block-size B, and
// --probe-case NAME when one is given.
std::vector<std::vector<std::string>> SelftestRunArgs(const GuestPlan& plan,
                                                      const std::string& probe_case = {});

// A guest's self-test document as a run record, a configuration per column;
// an error when it is not one, or says the self-test could not start.
std::expected<report::RunRecord, std::string> SelftestRunRecord(std::string_view json);

// The self-test's table over the records of `kernels --selftest`: a column
// per configuration (named "RELEASE:ext4/4k"), SelftestRowLabels' rows; a
// row a configuration lacks is "?" there.
report::SelftestTable KernelsSelftestTable(const report::RunRecord& record);

// The human summary: a line per configuration that could not be set up, and
// of the others each row not detected (NO) and the rows whose detection
// cannot be shown (?) by their reason; the table; and "kernels --selftest: N
// configurations in Xs with -j P".
std::string RenderKernelsSelftest(const report::RunRecord& record, std::size_t configurations,
                                  unsigned parallel);

// "[1/2] 6.12.1-amd64:ext4/4k    131.2s  13 detected, 2 skip" (and its setup error).
std::string KernelsSelftestProgressLine(std::size_t n, std::size_t of,
                                        const report::ConfigRecord& config, double seconds);

// As `selftest` exits: 0 when every row of every configuration detected (or
// does not apply), else 3 when a configuration could not be set up (the
// guest wrote nothing, a filesystem not made, a baseline that did not run),
// else 1.
int KernelsSelftestExitStatus(const report::RunRecord& record);

}  // namespace eofzero::suite
