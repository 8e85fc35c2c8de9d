#include "engine/case_file.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace eofzero::engine {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = fs::path(EOFZERO_FIXTURES_DIR) / "cases";
const fs::path kShippedCases = fs::path(EOFZERO_SOURCE_DIR) / "cases";

// A valid case: line numbers below are counted from this layout.
//   1 name, 2 purpose, 3 steps = ''', 4..8 the steps, 9 '''
const char kValid[] = R"(name = "t"
purpose = "a test case"
steps = '''
plant
shutdown -f
cycle_mount
expect size {eob + bs}
check gap
'''
)";

TEST(ParseCaseText, ValidCase) {
  auto spec = ParseCaseText(kValid, "cases/t.toml");
  ASSERT_TRUE(spec.has_value()) << spec.error();
  EXPECT_EQ(spec->name, "t");
  EXPECT_EQ(spec->purpose, "a test case");
  EXPECT_EQ(spec->source, "cases/t.toml");
  EXPECT_FALSE(spec->in_default_suite);
  EXPECT_TRUE(spec->filesystems.empty());
  EXPECT_FALSE(spec->block_size.has_value());
  EXPECT_FALSE(spec->gap.has_value());
  EXPECT_EQ(spec->eof.text(), "{bs - gap}");
  ASSERT_EQ(spec->steps.size(), 5u);
  EXPECT_EQ(spec->steps[0].def->role, StepRole::kPlant);
  EXPECT_EQ(spec->steps[0].line, 4);
  EXPECT_EQ(spec->steps[4].def->role, StepRole::kCheckGap);
  EXPECT_EQ(spec->steps[4].line, 8);
}

TEST(ParseCaseText, OptionalFields) {
  auto spec = ParseCaseText(R"(name = "t"
purpose = "p"
default = true
fs = ["xfs", "ext4"]
block_size = 1024
gap = "{bs / 2}"
eof = 100
steps = """
plant   # comments and blank lines are dropped

    shutdown
cycle_mount
expect size 1
check gap
"""
)",
                            "t.toml");
  ASSERT_TRUE(spec.has_value()) << spec.error();
  EXPECT_TRUE(spec->in_default_suite);
  EXPECT_EQ(spec->filesystems,
            (std::vector<fsdriver::FsType>{fsdriver::FsType::kXfs, fsdriver::FsType::kExt4}));
  EXPECT_EQ(spec->block_size, 1024u);
  ASSERT_TRUE(spec->gap.has_value());
  EXPECT_EQ(*spec->gap->Eval({{"bs", 1024}}), 512);
  EXPECT_EQ(*spec->eof.Eval({}), 100);
  ASSERT_EQ(spec->steps.size(), 5u);
  EXPECT_EQ(spec->steps[0].text, "plant");
  EXPECT_EQ(spec->steps[1].text, "shutdown");
  EXPECT_EQ(spec->steps[1].line, 11);
  EXPECT_EQ(spec->steps[4].line, 14);
}

struct Malformed {
  const char* what;
  const char* text;
  const char* file;
  const char* prefix;  // the exact "FILE:LINE: " the error starts with
  const char* phrase;  // part of the message
};

const Malformed kMalformed[] = {
    {"unknown command, steps on the line after the quotes",
     R"(name = "t"
purpose = "p"
steps = '''
plant
shutdown -f
frobnicate 1
cycle_mount
'''
)",
     "cases/t.toml", "cases/t.toml:6: ", "unknown command 'frobnicate'"},

    {"unknown command, first step on the line of the quotes",
     R"(name = "t"
purpose = "p"
steps = '''plant
shutdown -f
frobnicate 1
'''
)",
     "t.toml", "t.toml:5: ", "unknown command 'frobnicate'"},

    {"unknown command on the line of the quotes",
     R"(name = "t"
purpose = "p"
steps = '''frobnicate
plant
'''
)",
     "t.toml", "t.toml:3: ", "unknown command 'frobnicate'"},

    {"unknown command, basic multi-line string",
     R"(name = "t"
purpose = "p"

steps = """
plant

frobnicate
"""
)",
     "t.toml", "t.toml:7: ", "unknown command 'frobnicate'"},

    {"unknown command after comment lines",
     R"(# a comment
# another

name = "t"
purpose = "p"
steps = '''
# the setup
plant       # plant it
   frobnicate
'''
)",
     "t.toml", "t.toml:9: ", "unknown command 'frobnicate'"},

    {"unknown command with blanks after the opening quotes",
     "name = \"t\"\npurpose = \"p\"\nsteps = '''  \nplant\nfrobnicate\n'''\n", "t.toml",
     "t.toml:5: ", "unknown command 'frobnicate'"},

    {"unknown command, CRLF line ends",
     "name = \"t\"\r\npurpose = \"p\"\r\nsteps = '''\r\nplant\r\nfrobnicate\r\n'''\r\n",
     "t.toml", "t.toml:5: ", "unknown command 'frobnicate'"},

    {"bad expression in a step",
     R"(name = "t"
purpose = "p"
steps = '''
plant
truncate {eob +* bs}
'''
)",
     "t.toml", "t.toml:5: ", "bad expression 'eob +* bs': unexpected '*'"},

    {"unknown variable in a step",
     R"(name = "t"
purpose = "p"
steps = '''
plant
truncate {eob + blocksize}
'''
)",
     "t.toml", "t.toml:5: ", "unknown variable 'blocksize'"},

    {"bad flag in a step",
     R"(name = "t"
purpose = "p"
steps = '''
pwrite -Q 0 1
'''
)",
     "t.toml", "t.toml:4: ", "pwrite: unknown flag '-Q'"},

    {"bad gap expression",
     R"(name = "t"
purpose = "p"
gap = "{bs -}"
steps = '''
plant
'''
)",
     "t.toml", "t.toml:3: ", "gap: bad expression"},

    {"unknown variable in eof",
     R"(name = "t"
purpose = "p"

eof = "{bs - slack}"
steps = '''
plant
'''
)",
     "t.toml", "t.toml:4: ", "eof: bad expression 'bs - slack': unknown variable 'slack'"},

    {"eof that is neither number nor string",
     "name = \"t\"\npurpose = \"p\"\neof = 1.5\nsteps = '''\nplant\n'''\n", "t.toml",
     "t.toml:3: ", "'eof' must be a number or an expression string"},

    {"missing name", "purpose = \"p\"\nsteps = '''\nplant\n'''\n", "t.toml", "t.toml:1: ",
     "missing field 'name'"},

    {"missing purpose", "\nname = \"t\"\nsteps = '''\nplant\n'''\n", "t.toml", "t.toml:1: ",
     "missing field 'purpose'"},

    {"missing steps", "name = \"t\"\npurpose = \"p\"\n", "t.toml", "t.toml:1: ",
     "missing field 'steps'"},

    {"empty purpose", "name = \"t\"\n\npurpose = \"\"\nsteps = '''\nplant\n'''\n", "t.toml",
     "t.toml:3: ", "'purpose' must be a one-line string"},

    {"name is not a string", "name = 7\npurpose = \"p\"\nsteps = '''\nplant\n'''\n", "t.toml",
     "t.toml:1: ", "'name' must be a one-line string"},

    {"steps is not a string", "name = \"t\"\npurpose = \"p\"\nsteps = [\"plant\"]\n", "t.toml",
     "t.toml:3: ", "'steps' must be a multi-line string"},

    {"unknown top-level field",
     R"(name = "t"
purpose = "p"
steps = '''
plant
'''
descripton = "typo"
)",
     "t.toml", "t.toml:6: ", "unknown field 'descripton'"},

    {"unknown table",
     R"(name = "t"
purpose = "p"
steps = '''
plant
'''

[extra]
x = 1
)",
     "t.toml", "t.toml:7: ", "unknown field 'extra'"},

    {"name not matching the file stem",
     R"(# a comment
name = "truncate_down"
purpose = "p"
steps = '''
plant
'''
)",
     "cases/truncate_up.toml", "cases/truncate_up.toml:2: ",
     "name 'truncate_down' must match the file name 'truncate_up.toml'"},

    {"bad fs name",
     R"(name = "t"
purpose = "p"
fs = [
  "xfs",
  "zfs",
]
steps = '''
plant
'''
)",
     "t.toml", "t.toml:5: ", "'fs': not a filesystem this tool knows"},

    {"fs not a list", "name = \"t\"\npurpose = \"p\"\nfs = \"xfs\"\nsteps = '''\nplant\n'''\n",
     "t.toml", "t.toml:3: ", "'fs' must be a list"},

    {"empty fs list", "name = \"t\"\npurpose = \"p\"\nfs = []\nsteps = '''\nplant\n'''\n",
     "t.toml", "t.toml:3: ", "'fs' must be a list"},

    {"block_size not a power of two",
     "name = \"t\"\npurpose = \"p\"\nblock_size = 3000\nsteps = '''\nplant\n'''\n", "t.toml",
     "t.toml:3: ", "'block_size' must be a power of two from 1024 to 65536"},

    {"block_size too small",
     "name = \"t\"\npurpose = \"p\"\nblock_size = 512\nsteps = '''\nplant\n'''\n", "t.toml",
     "t.toml:3: ", "'block_size' must be a power of two"},

    {"block_size too large",
     "name = \"t\"\npurpose = \"p\"\nblock_size = 131072\nsteps = '''\nplant\n'''\n", "t.toml",
     "t.toml:3: ", "'block_size' must be a power of two"},

    {"block_size as a string",
     "name = \"t\"\npurpose = \"p\"\nblock_size = \"4k\"\nsteps = '''\nplant\n'''\n", "t.toml",
     "t.toml:3: ", "'block_size' must be a power of two"},

    {"default not a boolean",
     "name = \"t\"\npurpose = \"p\"\ndefault = \"yes\"\nsteps = '''\nplant\n'''\n", "t.toml",
     "t.toml:3: ", "'default' must be true or false"},

    {"TOML syntax error: unterminated string",
     R"(name = "t"
purpose = "p
steps = '''
plant
'''
)",
     "t.toml", "t.toml:2: ", ""},

    {"TOML syntax error: key defined twice",
     R"(name = "t"
purpose = "p"
name = "u"
)",
     "t.toml", "t.toml:3: ", ""},

    {"TOML syntax error: unterminated steps",
     "name = \"t\"\npurpose = \"p\"\nsteps = '''\nplant\n", "t.toml", "t.toml:", ""},

    {"step after a crash with no remount",
     R"(name = "t"
purpose = "p"
steps = '''
plant
shutdown -f
expect size {eob}
cycle_mount
check gap
'''
)",
     "t.toml", "t.toml:6: ", "'expect size {eob}' after a shutdown with no cycle_mount"},

    {"shutdown as the last step",
     R"(name = "t"
purpose = "p"
steps = '''
plant
check gap
expect size 1
shutdown -f   # and nothing after
'''
)",
     "t.toml", "t.toml:7: ", "shutdown with no cycle_mount after it"},

    {"sequence error that names the steps field",
     R"(name = "t"
purpose = "p"

steps = '''
truncate 1
'''
)",
     "t.toml", "t.toml:4: ", "the steps never plant"},

    {"no checks after the crash",
     R"(name = "t"
purpose = "p"
steps = '''
plant
shutdown
cycle_mount
'''
)",
     "t.toml", "t.toml:3: ", "no 'check gap' after the last shutdown and cycle_mount"},
};

TEST(ParseCaseText, MalformedCasesNameFileAndLine) {
  for (const auto& m : kMalformed) {
    SCOPED_TRACE(m.what);
    auto spec = ParseCaseText(m.text, m.file);
    ASSERT_FALSE(spec.has_value());
    const std::string& err = spec.error();
    EXPECT_TRUE(err.starts_with(m.prefix)) << err;
    EXPECT_NE(err.find(m.phrase), std::string::npos) << err;
    EXPECT_EQ(err.find('\n'), std::string::npos) << err;  // one line
  }
}

TEST(ParseCaseText, StepLinesMapToTheFile) {
  // Every step remembers its own line, with the first step after or on the quotes.
  for (const auto& [text, first] :
       std::vector<std::pair<std::string, int>>{
           {"name = \"t\"\npurpose = \"p\"\nsteps = '''\nplant\nshutdown\ncycle_mount\n"
            "expect size 1\ncheck gap\n'''\n",
            4},
           {"name = \"t\"\npurpose = \"p\"\nsteps = '''plant\nshutdown\ncycle_mount\n"
            "expect size 1\ncheck gap'''\n",
            3},
           {"name = \"t\"\npurpose = \"p\"\n\n\nsteps = \"\"\"\nplant\nshutdown\ncycle_mount\n"
            "expect size 1\ncheck gap\n\"\"\"\n",
            6},
       }) {
    auto spec = ParseCaseText(text, "t.toml");
    ASSERT_TRUE(spec.has_value()) << spec.error();
    ASSERT_EQ(spec->steps.size(), 5u);
    for (std::size_t i = 0; i < spec->steps.size(); ++i)
      EXPECT_EQ(spec->steps[i].line, first + static_cast<int>(i)) << spec->steps[i].text;
  }
}

TEST(ParseCaseText, CaseNamesArePlainAndShort) {
  auto named = [](const std::string& name) {
    return ParseCaseText("name = \"" + name + "\"\npurpose = \"p\"\nsteps = '''\nplant\n"
                         "shutdown\ncycle_mount\nexpect size 1\ncheck gap\n'''\n",
                         "dir/" + name + ".toml");
  };
  EXPECT_TRUE(named(std::string(kMaxNameLength, 'n')).has_value());
  for (const std::string& bad :
       std::vector<std::string>{"a b", "-x", "caf\u00e9", "a\\tb", "x;y", std::string(65, 'n')}) {
    auto spec = named(bad);
    ASSERT_FALSE(spec.has_value()) << bad;
    EXPECT_TRUE(spec.error().starts_with("dir/" + bad + ".toml:1: ")) << spec.error();
    EXPECT_NE(spec.error().find("up to 64 letters, digits"), std::string::npos) << spec.error();
  }
}

TEST(ParseCaseText, AtMostSoManySteps) {
  auto with_syncs = [](std::size_t n) {
    std::string steps;
    for (std::size_t i = 0; i < n; ++i) steps += "sync\n";
    return ParseCaseText("name = \"t\"\npurpose = \"p\"\nsteps = '''\n" + steps +
                             "plant\nshutdown\ncycle_mount\nexpect size 1\ncheck gap\n'''\n",
                         "t.toml");
  };
  EXPECT_TRUE(with_syncs(kMaxSteps - 5).has_value());
  auto r = with_syncs(kMaxSteps - 4);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error(), "t.toml:1004: more than 1000 steps");
}

// ---- the shipped catalog ----------------------------------------------------

TEST(ShippedCases, EveryFileParsesAndValidates) {
  const fs::path dir = kShippedCases;
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".toml") continue;
    SCOPED_TRACE(entry.path().string());
    auto spec = LoadCaseFile(entry.path());
    ASSERT_TRUE(spec.has_value()) << spec.error();
    EXPECT_EQ(spec->name, entry.path().stem().string());
    EXPECT_FALSE(spec->purpose.empty());
    EXPECT_FALSE(spec->steps.empty());
    names.push_back(spec->name);
  }
  EXPECT_GE(names.size(), 20u);

  auto all = LoadCaseDirs({dir});
  ASSERT_TRUE(all.has_value()) << all.error();
  EXPECT_EQ(all->size(), names.size());
}

std::vector<std::string> Names(const std::vector<const CaseSpec*>& cases) {
  std::vector<std::string> out;
  for (const CaseSpec* c : cases) out.push_back(c->name);
  return out;
}

TEST(ShippedCases, DefaultSuite) {
  auto all = LoadCaseDirs({kShippedCases});
  ASSERT_TRUE(all.has_value()) << all.error();
  auto selected = SelectCases(*all, {});
  ASSERT_TRUE(selected.has_value()) << selected.error();
  EXPECT_EQ(Names(*selected),
            (std::vector<std::string>{"append_write", "fallocate", "truncate_up"}));
}

// ---- SelectCases and LoadCaseDirs -------------------------------------------

std::vector<CaseSpec> Catalog() {
  std::vector<CaseSpec> all;
  for (auto [name, in_default] : std::vector<std::pair<const char*, bool>>{
           {"append_write", true}, {"mmap_write", false}, {"truncate_down", false},
           {"truncate_up", true}}) {
    CaseSpec c;
    c.name = name;
    c.in_default_suite = in_default;
    all.push_back(std::move(c));
  }
  return all;
}

TEST(SelectCases, NoGlobSelectsTheDefaultSuite) {
  auto all = Catalog();
  EXPECT_EQ(Names(*SelectCases(all, {})),
            (std::vector<std::string>{"append_write", "truncate_up"}));
}

TEST(SelectCases, Globs) {
  auto all = Catalog();
  EXPECT_EQ(Names(*SelectCases(all, {"*"})),
            (std::vector<std::string>{"append_write", "mmap_write", "truncate_down",
                                      "truncate_up"}));
  EXPECT_EQ(Names(*SelectCases(all, {"trunc*"})),
            (std::vector<std::string>{"truncate_down", "truncate_up"}));
  EXPECT_EQ(Names(*SelectCases(all, {"mmap_write"})), (std::vector<std::string>{"mmap_write"}));
  EXPECT_EQ(Names(*SelectCases(all, {"*_write", "truncate_u?"})),
            (std::vector<std::string>{"append_write", "mmap_write", "truncate_up"}));
  // Overlapping globs select a case once, in catalog order.
  EXPECT_EQ(Names(*SelectCases(all, {"truncate_up", "*up", "t*"})),
            (std::vector<std::string>{"truncate_down", "truncate_up"}));
}

TEST(SelectCases, GlobMatchingNothingIsAnError) {
  auto all = Catalog();
  auto none = SelectCases(all, {"trunc*", "fsync_*"});
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().find("'fsync_*' matches no case"), std::string::npos) << none.error();
  EXPECT_FALSE(SelectCases(all, {"Truncate_up"}).has_value());  // case matters
  EXPECT_FALSE(SelectCases({}, {"*"}).has_value());
}

TEST(LoadCaseDirs, DuplicateNameAcrossFolders) {
  auto both = LoadCaseDirs({kFixtures / "dup_a", kFixtures / "dup_b"});
  ASSERT_FALSE(both.has_value());
  const std::string second = (kFixtures / "dup_b" / "dup_case.toml").string();
  const std::string first = (kFixtures / "dup_a" / "dup_case.toml").string();
  EXPECT_TRUE(both.error().starts_with(second + ":1: ")) << both.error();
  EXPECT_NE(both.error().find("case 'dup_case' is also defined in " + first), std::string::npos)
      << both.error();
}

TEST(LoadCaseDirs, OneFolderInNameOrder) {
  auto a = LoadCaseDirs({kFixtures / "dup_a"});
  ASSERT_TRUE(a.has_value()) << a.error();
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0].name, "dup_case");
  EXPECT_EQ((*a)[1].name, "only_in_a");
  EXPECT_EQ((*a)[0].source, (kFixtures / "dup_a" / "dup_case.toml").string());
}

TEST(LoadCaseDirs, MissingFolderIsAnError) {
  auto none = LoadCaseDirs({kFixtures / "no_such_folder"});
  ASSERT_FALSE(none.has_value());
  EXPECT_TRUE(none.error().starts_with((kFixtures / "no_such_folder").string() + ":0: "))
      << none.error();
}

// A scratch folder for one test, removed at the end.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "eofzero-cases.XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data()) ? tmpl : "";
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(LoadCaseDirs, AFifoIsRefusedWithoutBlocking) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir.path() / "x.toml").c_str(), 0600), 0);
  auto r = LoadCaseDirs({dir.path()});  // would block forever opening the FIFO for reading
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error(), (dir.path() / "x.toml").string() + ":0: not a regular file (a FIFO)");
}

TEST(LoadCaseDirs, ADirectoryOrALinkToAFifoIsRefused) {
  TempDir dir;
  fs::create_directory(dir.path() / "X.toml");
  auto r = LoadCaseDirs({dir.path()});
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error(), (dir.path() / "X.toml").string() + ":0: not a regular file (a directory)");
  fs::remove(dir.path() / "X.toml");
  ASSERT_EQ(::mkfifo((dir.path() / "fifo").c_str(), 0600), 0);
  fs::create_symlink(dir.path() / "fifo", dir.path() / "y.toml");
  r = LoadCaseDirs({dir.path()});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().find("y.toml:0: not a regular file (a FIFO)"), std::string::npos)
      << r.error();
}

TEST(LoadCaseFile, AHugeFileIsRefused) {
  TempDir dir;
  const fs::path big = dir.path() / "big.toml";
  std::ofstream(big) << std::string(kMaxCaseFileBytes + 1, '#');
  auto r = LoadCaseFile(big);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error(), big.string() + ":0: too large: " + std::to_string(kMaxCaseFileBytes + 1) +
                           " bytes (at most " + std::to_string(kMaxCaseFileBytes) + ")");
}

TEST(LoadCaseFile, MissingFileIsAnError) {
  auto none = LoadCaseFile(kFixtures / "nope.toml");
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().find("cannot read"), std::string::npos) << none.error();
}

}  // namespace
}  // namespace eofzero::engine
