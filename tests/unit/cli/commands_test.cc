#include "cli/commands.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

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
                                   "log", "kernels", "sweep"}));
  EXPECT_EQ(FindSubcommand(Command::kHelp), nullptr);
}

TEST(Subcommands, TheHelpListsEachWithItsLineAndEachParsesToItsCommand) {
  auto help = ParseCommandLine({"--help"});
  ASSERT_TRUE(help) << help.error();
  for (const auto& s : Subcommands()) {
    EXPECT_NE(help->help.find(s.name), std::string::npos) << s.name;
    EXPECT_NE(help->help.find(s.help), std::string::npos) << s.help;
    std::vector<std::string> args = {s.name};
    if (s.command == Command::kReport) args.push_back(EOFZERO_SOURCE_DIR "/README.md");
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

}  // namespace
}  // namespace eofzero::cli
