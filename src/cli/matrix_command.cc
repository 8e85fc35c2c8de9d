// `eofzero matrix`: the matrix file planned and checked before anything is
// built, then run by suite::RunMatrix, reported as --format and --output say.
#include <unistd.h>

#include <iostream>

#include "cli/case_preflight.h"
#include "cli/command_setup.h"
#include "cli/commands.h"
#include "os/interrupt.h"
#include "report/report_output.h"
#include "suite/exit_status.h"
#include "suite/matrix_plan.h"
#include "suite/matrix_run.h"

namespace eofzero::cli {

int MatrixCommand(const Invocation& inv) {
  auto catalog = LoadCatalog(inv.run);
  if (!catalog) return ExitWith(catalog.error());
  auto file = MatrixFile(inv.matrix);
  if (!file) return ExitWith(file.error());
  auto jobs = suite::PlanMatrix(*file, catalog->cases);
  if (!jobs) return ExitWith({suite::kExitUsage, jobs.error()});
  if (auto ok = PreflightMatrix(*jobs, catalog->cases); !ok)
    return ExitWith({suite::kExitUsage, ok.error()});
  if (auto ok = StartPrivileged(inv.run.verbosity,
                                "matrix needs root (its workers build scratch filesystems)");
      !ok)
    return ExitWith(ok.error());
  const unsigned parallel = inv.matrix.jobs;
  report::MatrixOutput output(inv.run.format, inv.run.output, std::cout,
                              ::isatty(STDOUT_FILENO) == 1);
  auto record = suite::RunMatrix(*jobs, inv.run, parallel, output.reporter());
  if (!record) return ExitWith({suite::kExitToolError, "matrix: " + record.error().Message()});
  record->command = "matrix";
  if (auto written = output.Write(*record, jobs->size(), parallel); !written)
    return ExitWith({suite::kExitToolError, written.error()});
  if (os::InterruptRequested()) return suite::ExitStatusFor({}, os::InterruptSignal());
  return suite::MatrixExitStatus(*record);
}

}  // namespace eofzero::cli
