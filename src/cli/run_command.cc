// `eofzero run`: the selected cases on scratch filesystems (suite::RunSuite),
// reported as --format and --output say.
#include <unistd.h>

#include <iostream>

#include "cli/command_setup.h"
#include "cli/commands.h"
#include "os/interrupt.h"
#include "report/report_output.h"
#include "suite/exit_status.h"
#include "suite/run_suite.h"

namespace eofzero::cli {

int RunCommand(const Invocation& inv) {
  auto catalog = LoadCatalog(inv.run);
  if (!catalog) return ExitWith(catalog.error());
  auto selected = PrepareSuite(inv.run, *catalog, inv.run.cases, "run");
  if (!selected) return ExitWith(selected.error());
  auto output = report::ReportOutput::Open(inv.run.format, inv.run.output, std::cout,
                                           ::isatty(STDOUT_FILENO) == 1);
  if (!output) return ExitWith({suite::kExitUsage, output.error()});
  auto outcomes = suite::RunSuite(inv.run, *selected, (*output)->reporter());
  if (auto written = (*output)->Write(); !written)
    return ExitWith({suite::kExitToolError, written.error()});
  if (os::InterruptRequested())
    std::cerr << "eofzero: " << report::Interruption(os::InterruptSignal())
              << "; everything this run created was released\n";
  return suite::ExitStatusFor(outcomes, os::InterruptSignal());
}

}  // namespace eofzero::cli
