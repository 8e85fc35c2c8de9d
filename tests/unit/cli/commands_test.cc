#include "cli/commands.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "cli/cli_model.h"
#include "cli/value_kinds.h"
#include "report/tool_version.h"

namespace eofzero::cli {
namespace {

TEST(Subcommands, EveryCommandHasOneEntryWithOptionsAndARunFunction) {
  std::set<Command> commands;
  std::set<std::string> names;
  for (const auto& s : Subcommands()) {
    EXPECT_TRUE(commands.insert(s.command).second) << s.name;
    EXPECT_TRUE(names.insert(s.name).second) << s.name;
    EXPECT_NE(s.add_options, nullptr) << s.name;
    EXPECT_NE(s.run, nullptr) << s.name;
    EXPECT_EQ(FindSubcommand(s.command), &s);
  }
  EXPECT_EQ(names,
            (std::set<std::string>{"run", "list", "selftest", "matrix", "cleanup", "report",
                                   "log", "kernels", "sweep", "explore", "version", "generate",
                                   "export"}));
  EXPECT_EQ(FindSubcommand(Command::kHelp), nullptr);
}

TEST(Subcommands, TheHelpListsEachWithItsLineAndEachParsesToItsCommand) {
  auto help = ParseCommandLine({"--help"});
  ASSERT_TRUE(help) << help.error();
  for (const auto& s : Subcommands()) {
    if (s.hidden) {
      EXPECT_EQ(help->help.find(s.help), std::string::npos) << s.name << " is hidden";
    } else {
      EXPECT_NE(help->help.find(std::string("\n  ") + s.name + " "), std::string::npos) << s.name;
      EXPECT_NE(help->help.find(s.help), std::string::npos) << s.help;
    }
    std::vector<std::string> args = {s.name};
    if (s.command == Command::kGenerate) args.push_back("man");
    if (s.command == Command::kReport) args.push_back(EOFZERO_SOURCE_DIR "/README.md");
    if (s.command == Command::kExport)
      args.insert(args.end(), {EOFZERO_SOURCE_DIR "/README.md", "--output-dir", "/tmp/x"});
    if (s.command == Command::kLog) args = {s.name, "show", EOFZERO_SOURCE_DIR "/README.md"};
    if (s.command == Command::kKernels) args.insert(args.end(), {"--kernel", "bookworm"});
    auto inv = ParseCommandLine(args);
    ASSERT_TRUE(inv) << s.name << ": " << inv.error();
    EXPECT_EQ(inv->command, s.command) << s.name;
  }
}

TEST(Subcommands, EachTakesItsOwnOptionsOnly) {
  EXPECT_TRUE(ParseCommandLine({"list", "--gap", "8"}));
  EXPECT_FALSE(ParseCommandLine({"list", "--keep"}));
  EXPECT_FALSE(ParseCommandLine({"selftest", "--case", "x"}));
  EXPECT_TRUE(ParseCommandLine({"matrix", "-j", "2", "--format", "json"}));
  EXPECT_FALSE(ParseCommandLine({"cleanup", "--format", "json"}));
}

// `eofzero --version` and `eofzero version` say the same: the version, and
// the commit when built from a git checkout.
TEST(Subcommands, VersionIsAFlagAndACommand) {
  const std::string identity = report::ToolIdentity(report::ThisTool());
  EXPECT_TRUE(identity.starts_with(std::string("eofzero ") + report::ThisTool().version));
  EXPECT_FALSE(report::ThisTool().version.empty());
  auto flag = ParseCommandLine({"--version"});
  ASSERT_TRUE(flag) << flag.error();
  EXPECT_EQ(flag->command, Command::kHelp);
  EXPECT_EQ(flag->help, identity + "\n");
  auto command = ParseCommandLine({"version"});
  ASSERT_TRUE(command) << command.error();
  EXPECT_EQ(command->command, Command::kVersion);
}

// Every command's --help is its own, nested ones included (`eofzero log show
// --help` is show's, not log's), and names the whole command in its usage.
void ExpectOwnHelp(const CommandModel& c) {
  std::vector<std::string> args(c.path.begin() + 1, c.path.end());
  args.push_back("--help");
  auto help = ParseCommandLine(args);
  ASSERT_TRUE(help) << c.Name() << ": " << help.error();
  EXPECT_EQ(help->command, Command::kHelp) << c.Name();
  EXPECT_TRUE(help->help.starts_with(c.help + "\nUsage: eofzero " + c.Name()))
      << c.Name() << ":\n" << help->help;
  for (const auto& o : c.options)
    EXPECT_NE(help->help.find(o.names.back()), std::string::npos) << c.Name() << " " << o.names.back();
  for (const auto& sub : c.subcommands) ExpectOwnHelp(sub);
}

TEST(Subcommands, EveryCommandsHelpIsItsOwnNestedOnesIncluded) {
  RawOptions raw;
  const auto model = ModelOf(*BuildCommandLine(raw));
  for (const auto& c : model.subcommands) ExpectOwnHelp(c);
  auto show = ParseCommandLine({"log", "show", "--help"});
  ASSERT_TRUE(show);
  EXPECT_NE(show->help.find("Usage: eofzero log show [OPTIONS] log"), std::string::npos)
      << show->help;
  EXPECT_EQ(show->help.find("--state"), std::string::npos) << "replay's option:\n" << show->help;
  auto replay = ParseCommandLine({"log", "replay", "--help"});
  ASSERT_TRUE(replay);
  EXPECT_NE(replay->help.find("--state"), std::string::npos) << replay->help;
}

TEST(Subcommands, LogTakesShowOrReplayEachWithItsOwnOptions) {
  const std::string log = EOFZERO_SOURCE_DIR "/README.md";
  auto show = ParseCommandLine({"log", "show", log});
  ASSERT_TRUE(show) << show.error();
  EXPECT_EQ(show->log.action, "show");
  EXPECT_FALSE(ParseCommandLine({"log", "show", log, "--state", "1"}));
  EXPECT_FALSE(ParseCommandLine({"log", log}));
  EXPECT_FALSE(ParseCommandLine({"log"}));
  auto replay = ParseCommandLine({"log", "replay", log, "--state", "1", "--image",
                                  ::testing::TempDir() + "/never-made.img"});
  ASSERT_TRUE(replay) << replay.error();
  EXPECT_EQ(replay->log.action, "replay");
  EXPECT_EQ(replay->log.state, "1");
}

// Every option that takes a value has a kind (value_kinds.h): its name in
// --help and the man page, its values in the completion.
void ExpectKinds(const CLI::App& app, const std::string& where) {
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_expected_max() == 0 || opt->get_group().empty()) continue;  // a flag, hidden
    EXPECT_TRUE(ValueKindOf(opt->get_name())) << where << " " << opt->get_name();
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    ExpectKinds(*sub, where + " " + sub->get_name());
}

TEST(ValueKinds, EveryOptionThatTakesAValueHasAKind) {
  RawOptions raw;
  const auto app = BuildCommandLine(raw);
  ExpectKinds(*app, "eofzero");
  auto help = ParseCommandLine({"run", "--help"});
  ASSERT_TRUE(help);
  EXPECT_NE(help->help.find("--fs FS"), std::string::npos) << help->help;
  EXPECT_NE(help->help.find("--workdir DIR"), std::string::npos) << help->help;
}

}  // namespace
}  // namespace eofzero::cli
