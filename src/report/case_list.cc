#include "report/case_list.h"

#include <sstream>

#include "engine/step.h"

namespace eofzero::report {

std::string RenderCaseList(const std::vector<engine::CaseSpec>& cases,
                           const std::filesystem::path& catalog,
                           const std::vector<std::filesystem::path>& cases_dirs) {
  std::ostringstream out;
  for (const auto& c : cases) {
    std::string needs;
    for (auto fs : c.filesystems)
      needs += (needs.empty() ? "" : ",") + std::string(fsdriver::FsTypeName(fs));
    if (c.block_size)
      needs += std::string(needs.empty() ? "" : " ") + "bs=" + std::to_string(*c.block_size);
    out << (c.in_default_suite ? "* " : "  ") << c.name
        << std::string(c.name.size() < 30 ? 30 - c.name.size() : 1, ' ')
        << (needs.empty() ? "" : "[" + needs + "] ") << c.purpose << "\n";
  }
  out << "(* the default suite; " << cases.size() << " cases)\n";
  out << "(catalog: " << catalog.string();
  for (const auto& dir : cases_dirs) out << "; --cases-dir " << dir.string();
  out << ")\n";
  return out.str();
}

std::string RenderStepTable() {
  std::string table = "| step | from | does |\n| --- | --- | --- |\n";
  for (const auto& def : engine::StepDefs()) {
    std::string from = def.xfs_io ? "xfs_io" : "eofzero";
    if (*def.own_flags) {
      from += "; eofzero's";
      for (const char* f = def.own_flags; *f; ++f) from += std::string(" `-") + *f + "`";
    }
    table += std::string("| `") + def.usage + "` | " + from + " | " + def.help + " |\n";
  }
  return table;
}

}  // namespace eofzero::report
