// The configuration × case table that ends a run or a matrix: one row per
// case, one column per configuration, each cell the case's standing there
// (pass, xfail, FAIL, XPASS, skip, ERROR, or "-" where the case did not run).
// As plain text for a terminal, or as markdown for CI summaries (where the
// red cells are listed under the table with their one-line summaries, and
// the totals). The text table has no totals: its caller prints its own.
// An interrupted run's table says so, with the cases that did not run: in
// lines under the text table, and in a line above the markdown table (and
// they are not repeated among what needs attention).
#pragma once

#include <string>

#include "report/record.h"

namespace eofzero::report {

enum class TableStyle { kText, kMarkdown };

std::string RenderTable(const RunRecord& record, TableStyle style);

}  // namespace eofzero::report
