// `eofzero selftest`: every oracle shown able to fail (suite::RunSelftest),
// on the filesystems --fs names.
#include <iostream>

#include "cli/command_setup.h"
#include "cli/commands.h"
#include "os/interrupt.h"
#include "report/selftest_report.h"
#include "suite/exit_status.h"
#include "suite/selftest.h"

namespace eofzero::cli {

int SelftestCommand(const Invocation& inv) {
  auto catalog = LoadCatalog(inv.run);
  if (!catalog) return ExitWith(catalog.error());
  auto selected = PrepareSuite(inv.run, *catalog,
                               {suite::kSelftestProbeCase, suite::kSelftestRaceCase}, "selftest");
  if (!selected) return ExitWith(selected.error());
  const engine::CaseSpec* probe = nullptr;
  const engine::CaseSpec* race = nullptr;
  for (const auto* c : *selected) {
    if (c->name == suite::kSelftestProbeCase) probe = c;
    if (c->name == suite::kSelftestRaceCase) race = c;
  }
  if (!probe || !race)
    return ExitWith({suite::kExitUsage, std::string("selftest: the catalog lacks ") +
                                            (!probe ? suite::kSelftestProbeCase
                                                    : suite::kSelftestRaceCase)});
  report::SelftestTextReporter reporter(std::cout);
  auto result = suite::RunSelftest(inv.run, {*probe, *race}, reporter);
  if (os::InterruptRequested()) return suite::ExitStatusFor({}, os::InterruptSignal());
  return result.all_detected   ? suite::kExitPass
         : result.setup_failed ? suite::kExitToolError
                               : suite::kExitFail;
}

}  // namespace eofzero::cli
