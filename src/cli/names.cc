#include "cli/names.h"

namespace eofzero::cli {

std::string ListNames(const std::vector<std::string>& names, std::string_view last_separator) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) s += i + 1 == names.size() ? std::string(last_separator) : ", ";
    s += names[i];
  }
  return s;
}

std::optional<os::ShutdownFlag> ParseShutdownFlag(std::string_view name) {
  for (auto flag : os::kShutdownFlags)
    if (name == os::ShutdownFlagName(flag)) return flag;
  return std::nullopt;
}

std::vector<std::string> ShutdownFlagNames() {
  std::vector<std::string> names;
  for (auto flag : os::kShutdownFlags) names.emplace_back(os::ShutdownFlagName(flag));
  return names;
}

std::vector<std::string> ReportFormatNames() {
  std::vector<std::string> names;
  for (const auto& f : report::ReportFormats()) names.emplace_back(f.name);
  return names;
}

std::string ReportFormatHelp() {
  std::string s;
  for (const auto& f : report::ReportFormats())
    s += (s.empty() ? "" : ", ") + std::string(f.run_only ? "or (run only) " : "") + f.name;
  return s;
}

}  // namespace eofzero::cli
