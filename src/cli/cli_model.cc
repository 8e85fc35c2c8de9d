#include "cli/cli_model.h"

#include <algorithm>
#include <cctype>

#include "cli/value_kinds.h"

namespace eofzero::cli {
namespace {

std::string KindOf(const CLI::Option& opt, const std::string& name) {
  if (auto kind = ValueKindOf(name)) return std::string(kind->name);
  std::string upper = opt.get_type_name();
  if (upper.empty() || upper == "TEXT") {
    upper = name;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return std::toupper(c); });
  }
  return upper;
}

CommandModel Model(const CLI::App& app, std::vector<std::string> path) {
  CommandModel c;
  c.path = std::move(path);
  c.help = app.get_description();
  for (const CLI::Option* opt : app.get_options()) {
    if (opt == app.get_help_ptr() || opt->get_group().empty()) continue;  // hidden
    if (opt->get_positional() && opt->get_snames().empty() && opt->get_lnames().empty()) {
      const std::string name = opt->get_name(true);
      c.positionals.push_back({name, KindOf(*opt, name), opt->get_description()});
      continue;
    }
    OptionModel o;
    for (const auto& s : opt->get_snames()) o.names.push_back("-" + s);
    for (const auto& l : opt->get_lnames()) o.names.push_back("--" + l);
    if (opt->get_expected_max() != 0) o.value = KindOf(*opt, opt->get_name());
    o.list = opt->get_delimiter() == ',';
    o.repeatable = opt->get_expected_max() > 1;
    o.help = opt->get_description();
    c.options.push_back(std::move(o));
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_group().empty()) continue;  // hidden
    auto sub_path = c.path;
    sub_path.push_back(sub->get_name());
    c.subcommands.push_back(Model(*sub, std::move(sub_path)));
  }
  return c;
}

}  // namespace

std::string CommandModel::Name() const {
  std::string s;
  for (std::size_t i = 1; i < path.size(); ++i) s += (s.empty() ? "" : " ") + path[i];
  return s;
}

std::string CommandModel::Usage() const {
  std::string s;
  for (const auto& p : path) s += (s.empty() ? "" : " ") + p;
  if (!options.empty()) s += " [OPTIONS]";
  for (const auto& p : positionals) s += " " + p.value;
  if (!subcommands.empty()) s += " COMMAND";
  return s;
}

CommandModel ModelOf(const CLI::App& app) { return Model(app, {app.get_name()}); }

}  // namespace eofzero::cli
