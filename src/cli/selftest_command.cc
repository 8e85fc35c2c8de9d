// `eofzero selftest`: every oracle shown able to fail (suite::RunSelftest),
// on the filesystems --fs names. Its report is text (a line per control, then
// the table) or, with --format json, one JSON document (report/selftest_json.h)
// to --output, with the text on stdout, or to stdout instead of the text.
#include <iostream>
#include <sstream>

#include "cli/command_setup.h"
#include "cli/commands.h"
#include "os/interrupt.h"
#include "os/process.h"
#include "report/report_output.h"
#include "report/selftest_json.h"
#include "report/selftest_report.h"
#include "report/tool_version.h"
#include "suite/exit_status.h"
#include "suite/selftest.h"

namespace eofzero::cli {

int SelftestCommand(const Invocation& inv) {
  auto catalog = LoadCatalog(inv.run);
  if (!catalog) return ExitWith(catalog.error());
  auto probe_name_or = ProbeCaseName(*catalog, inv.run.probe_case);
  if (!probe_name_or) return ExitWith(probe_name_or.error());
  const std::string probe_name = *probe_name_or;
  auto selected = PrepareSuite(inv.run, *catalog, {probe_name, suite::kSelftestRaceCase}, "selftest");
  if (!selected) return ExitWith(selected.error());
  const engine::CaseSpec* probe = nullptr;
  const engine::CaseSpec* race = nullptr;
  for (const auto* c : *selected) {
    if (c->name == probe_name) probe = c;
    if (c->name == suite::kSelftestRaceCase) race = c;
  }
  if (!probe || !race)
    return ExitWith({suite::kExitUsage, std::string("selftest: the catalog lacks ") +
                                            (!probe ? probe_name.c_str()
                                                    : suite::kSelftestRaceCase)});
  const bool json = inv.run.format == report::ReportFormat::kJson;
  // The text on stdout, or into --output with --format human.
  std::ostringstream text_file;
  const bool text_to_file = !json && !inv.run.output.empty();
  report::SelftestTextReporter text(text_to_file ? static_cast<std::ostream&>(text_file)
                                                 : std::cout);
  report::SelftestRecorder recorder(json && inv.run.output.empty() ? nullptr : &text);
  auto result = suite::RunSelftest(inv.run, {*probe, *race}, recorder);
  if (os::InterruptRequested()) return suite::ExitStatusFor({}, os::InterruptSignal());
  std::string file;
  if (json) {
    report::SelftestDocument& doc = recorder.document();
    doc.tool = report::ToolIdentity(report::ThisTool());
    doc.kernel = os::KernelRelease();
    doc.all_detected = result.all_detected;
    doc.setup_failed = result.setup_failed;
    file = report::RenderSelftestJson(doc);
  } else if (text_to_file) {
    file = text_file.str();
  }
  if (json || text_to_file)
    if (auto written = report::WriteReport(file, inv.run.output, std::cout); !written)
      return ExitWith({suite::kExitToolError, written.error()});
  return result.all_detected   ? suite::kExitPass
         : result.setup_failed ? suite::kExitToolError
                               : suite::kExitFail;
}

}  // namespace eofzero::cli
