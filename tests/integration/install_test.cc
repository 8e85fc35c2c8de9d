// An installation: `cmake --install` of this build tree into a prefix that is
// then moved elsewhere. The moved binary must read the data in its own
// share/eofzero/ (never the source tree), say where it looked with exit 3
// when that data is gone, and, as root, run a case. Also the Debian package
// `cpack -G DEB` makes, where cpack and dpkg-deb are installed.
#include <gtest/gtest.h>

#include <regex>

#include "harness.h"
#include "os/process.h"

namespace eofzero::itest {
namespace {

namespace fs = std::filesystem;

const fs::path kBuild = EOFZERO_BUILD_DIR;
const fs::path kSource = EOFZERO_SOURCE_DIR;

os::ProcessResult RunCommand(const std::vector<std::string>& argv) {
  auto r = os::RunProcess(argv);
  return r ? *r : os::ProcessResult{argv, -1, 0, "", r.error().Message()};
}

// `cmake --install` of the build tree into WORKDIR/prefix, then the prefix
// moved to WORKDIR/moved: returns the moved prefix, or empty.
fs::path InstallAndMove(const Workdir& wd) {
  auto installed = RunCommand(
      {EOFZERO_CMAKE, "--install", kBuild.string(), "--prefix", (wd.path() / "prefix").string()});
  EXPECT_EQ(installed.exit_code, 0) << installed.out << installed.err;
  if (installed.exit_code != 0) return {};
  fs::rename(wd.path() / "prefix", wd.path() / "moved");
  return wd.path() / "moved";
}

// The installed binary under `prefix` with `args`, without $EOFZERO_CASES_DIR
// unless `env` sets it.
os::ProcessResult RunInstalled(const fs::path& prefix, const std::vector<std::string>& args,
                               const std::vector<std::string>& env = {}) {
  std::vector<std::string> argv = {"env", "-u", "EOFZERO_CASES_DIR"};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.push_back((prefix / "bin" / "eofzero").string());
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

std::string LastLine(const std::string& text) {
  const auto end = text.ends_with('\n') ? text.size() - 1 : text.size();
  const auto start = text.rfind('\n', end - 1);
  return text.substr(start == std::string::npos ? 0 : start + 1, end - (start + 1));
}

std::size_t TomlFilesIn(const fs::path& dir) {
  std::size_t n = 0;
  for (const auto& entry : fs::directory_iterator(dir)) n += entry.path().extension() == ".toml";
  return n;
}

bool Executable(const fs::path& file) {
  return (fs::status(file).permissions() & fs::perms::owner_exec) != fs::perms::none;
}

TEST(Install, PutsTheBinaryAndItsDataUnderThePrefix) {
  Workdir wd;
  const fs::path prefix = InstallAndMove(wd);
  ASSERT_FALSE(prefix.empty());
  const fs::path share = prefix / "share" / "eofzero";
  EXPECT_TRUE(Executable(prefix / "bin" / "eofzero"));
  EXPECT_EQ(TomlFilesIn(share / "cases"), TomlFilesIn(kSource / "cases"));
  EXPECT_TRUE(fs::is_regular_file(share / "matrix.toml"));
  EXPECT_TRUE(Executable(share / "fstests" / "generic-eofzero"));
  EXPECT_TRUE(Executable(share / "fstests" / "install"));
  EXPECT_TRUE(fs::is_regular_file(share / "fstests" / "generic-eofzero.out"));
}

// The man page and the bash completion the build made from the binary's own
// tables, where man and bash-completion look for them; the README with the
// documents it links to.
TEST(Install, PutsTheManPageTheCompletionAndTheDocuments) {
  Workdir wd;
  const fs::path prefix = InstallAndMove(wd);
  ASSERT_FALSE(prefix.empty());
  const fs::path man = prefix / "share" / "man" / "man1" / "eofzero.1";
  const fs::path completion = prefix / "share" / "bash-completion" / "completions" / "eofzero";
  ASSERT_TRUE(fs::is_regular_file(man));
  ASSERT_TRUE(fs::is_regular_file(completion));
  EXPECT_EQ(ReadFile(man), ReadFile(kBuild / "eofzero.1"));
  EXPECT_EQ(ReadFile(completion), ReadFile(kBuild / "eofzero.bash-completion"));
  auto listed = RunCommand({"env", "MANPATH=" + (prefix / "share" / "man").string(), "man", "-w",
                            "1", "eofzero"});
  if (os::ProgramExists("man")) EXPECT_EQ(listed.out, man.string() + "\n") << listed.err;
  const fs::path doc = prefix / "share" / "doc" / "eofzero";
  EXPECT_TRUE(fs::is_regular_file(doc / "README.md"));
  for (const auto& entry : fs::directory_iterator(kSource / "docs"))
    EXPECT_TRUE(fs::is_regular_file(doc / "docs" / entry.path().filename()))
        << entry.path().filename();
}

TEST(Install, AMovedBinaryListsTheCatalogInItsOwnShareFolder) {
  Workdir wd;
  const fs::path prefix = InstallAndMove(wd);
  ASSERT_FALSE(prefix.empty());
  const fs::path cases = prefix / "share" / "eofzero" / "cases";
  // This catalog differs from the source tree's: one case fewer.
  fs::remove(cases / "gap_1.toml");
  auto list = RunInstalled(prefix, {"list"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(LastLine(list.out), "(catalog: " + cases.string() + ")");
  EXPECT_NE(list.out.find("* truncate_up "), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find("gap_1 "), std::string::npos) << "the source tree's catalog:\n"
                                                        << list.out;
  EXPECT_EQ(list.out.find(kSource.string()), std::string::npos) << list.out;
}

TEST(Install, AMovedBinaryWithoutItsCatalogIsAToolError) {
  Workdir wd;
  const fs::path prefix = InstallAndMove(wd);
  ASSERT_FALSE(prefix.empty());
  const fs::path cases = prefix / "share" / "eofzero" / "cases";
  fs::remove_all(cases);
  const std::string why = "eofzero: cannot find the case catalog: " + cases.string() +
                          " is not a folder (the catalog installed with " +
                          (prefix / "bin" / "eofzero").string() +
                          "; $EOFZERO_CASES_DIR names another)\n";
  for (const auto& args :
       {std::vector<std::string>{"list"},
        std::vector<std::string>{"run", "--fs", "ext4", "--workdir", wd.str()}}) {
    auto r = RunInstalled(prefix, args);
    EXPECT_EQ(r.exit_code, 3) << args.front();
    EXPECT_EQ(r.err, why) << args.front();
    EXPECT_EQ(r.out, "") << args.front();
  }
  // $EOFZERO_CASES_DIR names another catalog.
  auto other =
      RunInstalled(prefix, {"list"}, {"EOFZERO_CASES_DIR=" + (kSource / "cases").string()});
  EXPECT_EQ(other.exit_code, 0) << other.err;
  EXPECT_EQ(LastLine(other.out), "(catalog: " + (kSource / "cases").string() + ")");
}

TEST(Install, AMovedBinaryReadsItsOwnMatrixFile) {
  Workdir wd;
  const fs::path prefix = InstallAndMove(wd);
  ASSERT_FALSE(prefix.empty());
  const fs::path matrix = prefix / "share" / "eofzero" / "matrix.toml";
  // A matrix file that is refused shows which one was read (before root is
  // needed). With an empty catalog no matrix file can ever start a run.
  fs::create_directories(wd.path() / "no-cases");
  const std::vector<std::string> env = {"EOFZERO_CASES_DIR=" + (wd.path() / "no-cases").string()};
  const std::vector<std::string> args = {"matrix", "--workdir", wd.str()};
  WriteFile(matrix, "bogus = 1\n");
  auto bad = RunInstalled(prefix, args, env);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(bad.err.starts_with("eofzero: " + matrix.string() + ":1: ")) << bad.err;
  fs::remove(matrix);
  auto missing = RunInstalled(prefix, args, env);
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_TRUE(missing.err.starts_with(
      "eofzero: cannot find the shipped matrix file: " + matrix.string() + " is not a file"))
      << missing.err;
}

TEST(Install, TheInstalledFstestsInstallerInstallsTheDropIn) {
  Workdir wd;
  const fs::path prefix = InstallAndMove(wd);
  ASSERT_FALSE(prefix.empty());
  const fs::path tree = wd.path() / "fstests";
  fs::create_directories(tree / "tests" / "generic");
  fs::create_directories(tree / "common");
  WriteFile(tree / "common" / "preamble", "");
  auto r = RunCommand(
      {(prefix / "share" / "eofzero" / "fstests" / "install").string(), tree.string(), "990"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Executable(tree / "tests" / "generic" / "990"));
  EXPECT_TRUE(
      ReadFile(tree / "tests" / "generic" / "990.out").starts_with("QA output created by 990\n"));
}

// The installed installer knows its binary (P/bin/eofzero), and the command it
// prints runs the test as pasted, from another folder: past the test's check
// of EOFZERO_PROG (which fails the test for a path that is not an executable)
// to its first fstests requirement. The tree is the stand-in of fstests with
// a `check` that runs one test from the tree's top, as fstests' check does.
TEST(Install, TheInstalledFstestsInstallerPrintsACommandThatWorksAsPasted) {
  Workdir wd;
  const fs::path prefix = InstallAndMove(wd);
  ASSERT_FALSE(prefix.empty());
  const fs::path tree = wd.path() / "fstests";
  fs::create_directories(tree / "tests" / "generic");
  fs::copy(kSource / "tests" / "fstests" / "stub" / "common", tree / "common",
           fs::copy_options::recursive);
  WriteFile(tree / "Makefile", "all:\n\t@true\n");
  WriteFile(tree / "check",
            "#!/bin/sh\n[ -x ./tests/$1 ] || exit 1\nmkdir -p results/${1%/*}\n"
            "RESULT_DIR=$PWD/results/${1%/*} exec ./tests/$1\n");
  fs::permissions(tree / "check", fs::perms::owner_all);
  auto r = RunCommand(
      {(prefix / "share" / "eofzero" / "fstests" / "install").string(), tree.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto commands = LinesStartingWith(r.out, "  make -C ");
  ASSERT_EQ(commands.size(), 1u) << r.out;
  EXPECT_NE(commands[0].find("EOFZERO_PROG=" + (prefix / "bin" / "eofzero").string() +
                             " ./check generic/999"),
            std::string::npos)
      << commands[0];
  auto pasted = RunCommand({"env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "TMPDIR=" + wd.str(),
                            "sh", "-c", "cd / && " + commands[0]});
  EXPECT_TRUE(pasted.out.ends_with(
      "\nQA output created by 999\n999 not run: this test requires a valid $SCRATCH_DEV\n"))
      << pasted.out << pasted.err;
}

TEST(Install, AMovedBinaryRunsACase) {
  REQUIRE_ROOT();
  Workdir wd;
  const fs::path prefix = InstallAndMove(wd);
  ASSERT_FALSE(prefix.empty());
  fs::create_directories(wd.path() / "work");
  auto r = RunInstalled(prefix, {"run", "--fs", "ext4", "--case", "truncate_up", "--workdir",
                                 (wd.path() / "work").string()});
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.exit_code << "\n" << r.out << r.err;
  EXPECT_TRUE(
      std::regex_search(r.out, std::regex("\n(PASS|FAIL|SKIP) +1/1 +ext4/4k +truncate_up ")))
      << r.out;
  ExpectNothingLeft(wd);
}

// ---- the Debian package -------------------------------------------------------

TEST(DebianPackage, HoldsTheBinaryTheCatalogAndItsDepends) {
  for (const char* tool : {"dpkg-deb", "dpkg-shlibdeps"})
    if (!os::ProgramExists(tool)) GTEST_SKIP() << tool << " is not installed (dpkg-dev)";
  if (!fs::exists(EOFZERO_CPACK)) GTEST_SKIP() << EOFZERO_CPACK << " is not installed";
  Workdir wd;
  ASSERT_FALSE(wd.path().empty());
  auto packed = RunCommand({EOFZERO_CPACK, "-G", "DEB", "--config",
                            (kBuild / "CPackConfig.cmake").string(), "-B", wd.str()});
  ASSERT_EQ(packed.exit_code, 0) << packed.out << packed.err;
  fs::path deb;
  for (const auto& entry : fs::directory_iterator(wd.path()))
    if (entry.path().extension() == ".deb") deb = entry.path();
  ASSERT_FALSE(deb.empty()) << packed.out;

  auto contents = RunCommand({"dpkg-deb", "-c", deb.string()});
  ASSERT_EQ(contents.exit_code, 0) << contents.err;
  for (const char* file :
       {"./usr/bin/eofzero", "./usr/share/eofzero/cases/truncate_up.toml",
        "./usr/share/eofzero/matrix.toml", "./usr/share/eofzero/fstests/generic-eofzero",
        "./usr/share/man/man1/eofzero.1", "./usr/share/bash-completion/completions/eofzero"})
    EXPECT_NE(contents.out.find(std::string(" ") + file + "\n"), std::string::npos)
        << file << " missing:\n"
        << contents.out;
  std::regex toml(" \\./usr/share/eofzero/cases/[a-z0-9_]+\\.toml\n");
  auto n = std::distance(std::sregex_iterator(contents.out.begin(), contents.out.end(), toml),
                         std::sregex_iterator());
  EXPECT_EQ(static_cast<std::size_t>(n), TomlFilesIn(kSource / "cases"));

  auto fields = RunCommand({"dpkg-deb", "-f", deb.string(), "Package", "Version", "Depends"});
  ASSERT_EQ(fields.exit_code, 0) << fields.err;
  EXPECT_NE(fields.out.find("Package: eofzero\n"), std::string::npos) << fields.out;
  EXPECT_NE(fields.out.find(std::string("Version: ") + EOFZERO_VERSION + "\n"), std::string::npos)
      << fields.out;
  const std::string depends = LastLine(fields.out);
  for (const char* dep : {"e2fsprogs", "xfsprogs", "util-linux", "libc6"})
    EXPECT_TRUE(std::regex_search(depends,
                                  std::regex(std::string("[ ,]") + dep + "[ ,(]|[ ,]" + dep + "$")))
        << dep << " missing: " << depends;
}

}  // namespace
}  // namespace eofzero::itest
