// What the build makes from the binary's own tables: the man page renders
// without a warning and is what `eofzero generate man` says now; the bash
// completion, sourced into bash, completes commands (nested ones too),
// options and their values. The version the binary reports, in every format.
// No root needed.
#include <gtest/gtest.h>

#include <regex>

#include "harness.h"
#include "os/process.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;

const fs::path kBuild = EOFZERO_BUILD_DIR;

os::ProcessResult RunCommand(const std::vector<std::string>& argv) {
  auto r = os::RunProcess(argv);
  return r ? *r : os::ProcessResult{argv, -1, 0, "", r.error().Message()};
}

TEST(ManPage, TheBuiltOneIsTheBinarysAndRendersWithoutWarnings) {
  const fs::path page = kBuild / "eofzero.1";
  ASSERT_TRUE(fs::is_regular_file(page)) << "the build did not make " << page;
  Ran generated = RunEofzero({"generate", "man"});
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  EXPECT_EQ(ReadFile(page), generated.out) << "the build's man page is stale";
  if (!os::ProgramExists("man")) GTEST_SKIP() << "man is not installed (man-db)";
  auto man = RunCommand({"env", "MANWIDTH=80", "LC_ALL=C.UTF-8", "man", "--warnings", "-l",
                         page.string()});
  EXPECT_EQ(man.exit_code, 0) << man.err;
  EXPECT_EQ(man.err, "") << "groff warned";
  for (const char* want : {"eofzero log replay [OPTIONS] LOG", "--fs FS[,...]", "EXIT STATUS",
                           "CASE LANGUAGE", "race_dio_read"})
    EXPECT_NE(man.out.find(want), std::string::npos) << want << "\n" << man.out.substr(0, 3000);
}

// Completes `words` (the last one is the word under the cursor) as bash
// would, with the built completion script sourced: one candidate a line.
std::string Complete(std::vector<std::string> words) {
  words.insert(words.begin(), EOFZERO_BINARY);  // what the user typed as the command
  std::string script = "source " + (kBuild / "eofzero.bash-completion").string() +
                       " && complete -p eofzero > /dev/null && COMP_WORDS=(\"$@\") && "
                       "COMP_CWORD=$(($# - 1)) && _eofzero && printf '%s\\n' \"${COMPREPLY[@]}\"";
  std::vector<std::string> argv = {"bash", "--norc", "-c", script, "bash"};
  argv.insert(argv.end(), words.begin(), words.end());
  auto r = RunCommand(argv);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

TEST(BashCompletion, CompletesCommandsOptionsAndValues) {
  ASSERT_TRUE(fs::is_regular_file(kBuild / "eofzero.bash-completion"));
  const std::string commands = Complete({""});
  for (const char* c : {"run\n", "log\n", "version\n", "sweep\n"})
    EXPECT_NE(commands.find(c), std::string::npos) << c << commands;
  EXPECT_EQ(commands.find("generate"), std::string::npos) << "hidden";
  EXPECT_EQ(Complete({"lo"}), "log\n");
  EXPECT_EQ(Complete({"log", ""}), "show\nreplay\n");
  EXPECT_EQ(Complete({"log", "replay", "x.ezlog", "--st"}), "--state\n");
  EXPECT_EQ(Complete({"run", "--fs", ""}), "ext4\nxfs\nbtrfs\nf2fs\n");
  EXPECT_EQ(Complete({"run", "--fs", "xfs,e"}), "xfs,ext4\n");
  EXPECT_EQ(Complete({"run", "--format", "j"}), "json\njunit\n");
  EXPECT_EQ(Complete({"run", "-v", "--shutdown", "no"}), "nologflush\n");
  EXPECT_EQ(Complete({"sweep", "--crash", "freeze,log"}), "freeze,logflush\n");
  EXPECT_EQ(Complete({"run", "--case", "fallocate_"}), "fallocate_keep_size_then_truncate\n");
  EXPECT_EQ(Complete({"run", "--workdir", "/us"}), "/usr\n");
  const std::string options = Complete({"run", "--fs", "ext4", "--f"});
  EXPECT_EQ(options, "--fs\n--format\n--fstests\n");
}

// The version and the commit the binary was built with.
TEST(Version, TheFlagAndTheCommandPrintTheVersionAndCommit) {
  Ran version = RunEofzero({"--version"});
  ASSERT_EQ(version.exit_code, 0) << version.err;
  EXPECT_TRUE(std::regex_match(version.out, std::regex("eofzero [0-9]+\\.[0-9]+\\.[0-9]+"
                                                       "( \\(commit [0-9a-f]+(-dirty)?\\))?\n")))
      << version.out;
  EXPECT_EQ(RunEofzero({"version"}).out, version.out);
  // This tree is a git checkout: the commit is known.
  if (fs::exists(fs::path(EOFZERO_SOURCE_DIR) / ".git")) {
    EXPECT_NE(version.out.find(" (commit "), std::string::npos) << version.out;
  }
}

}  // namespace
}  // namespace eofzero::itest
