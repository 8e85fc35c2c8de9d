// `eofzero list`: the catalog, every case checked as `run` with the same
// options would check it.
#include <iostream>

#include "cli/case_preflight.h"
#include "cli/command_setup.h"
#include "cli/commands.h"
#include "report/case_list.h"
#include "suite/exit_status.h"

namespace eofzero::cli {

int ListCommand(const Invocation& inv) {
  if (inv.list_steps) {
    std::cout << report::RenderStepTable();
    return suite::kExitPass;
  }
  auto catalog = LoadCatalog(inv.run);
  if (!catalog) return ExitWith(catalog.error());
  if (inv.list_names) {  // for the bash completion of --case
    for (const auto& c : catalog->cases) std::cout << c.name << "\n";
    return suite::kExitPass;
  }
  if (auto ok = PreflightCases(inv.run, Pointers(catalog->cases)); !ok)
    return ExitWith({suite::kExitUsage, ok.error()});
  std::cout << report::RenderCaseList(catalog->cases, catalog->dir, inv.run.cases_dirs);
  return suite::kExitPass;
}

}  // namespace eofzero::cli
