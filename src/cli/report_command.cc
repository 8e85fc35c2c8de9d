// `eofzero report FILE.json`: a saved report rendered again in another format.
#include <iostream>

#include "cli/command_setup.h"
#include "cli/commands.h"
#include "report/json_report.h"
#include "report/report_output.h"
#include "suite/exit_status.h"

namespace eofzero::cli {

int ReportCommand(const Invocation& inv) {
  auto record = report::LoadJsonReport(inv.report_input);
  if (!record) {
    // (A file that cannot be read reads as no JSON.)
    const auto& e = record.error();
    return ExitWith(
        {suite::kExitUsage,
         inv.report_input.string() + ": " +
             (e.kind == report::JsonReportError::Kind::kNotAReport ? e.message : "not JSON")});
  }
  auto written =
      report::WriteReport(report::RenderRecord(*record, inv.run.format), inv.run.output, std::cout);
  if (!written) return ExitWith({suite::kExitToolError, written.error()});
  return suite::kExitPass;
}

}  // namespace eofzero::cli
