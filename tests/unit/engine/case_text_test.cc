#include "engine/case_text.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "case_text.h"
#include "engine/case_file.h"

namespace eofzero::engine {
namespace {

// A step as the parser made it: its name, flags and values, arguments.
std::string Parsed(const Step& s) {
  std::string out = s.def->name;
  for (const auto& [flag, value] : s.flags)
    out += std::string(" -") + flag + (value ? "=" + value->text() : "");
  for (const auto& n : s.numbers) out += " n:" + n.text();
  for (const auto& w : s.words) out += " w:" + w;
  return out + " open:" + std::to_string(s.open_flags);
}

// Every catalog case, written back as a case file, reads back as the same
// case: the report keeps each case so, and `eofzero export` reads it back.
TEST(CaseFileText, EveryCatalogCaseReadsBackAsTheSameCase) {
  int cases = 0;
  for (const auto& entry : std::filesystem::directory_iterator(EOFZERO_SOURCE_DIR "/cases")) {
    if (entry.path().extension() != ".toml") continue;
    auto spec = LoadCaseFile(entry.path());
    ASSERT_TRUE(spec) << spec.error();
    const std::string text = CaseFileText(*spec);
    auto back = ParseCaseText(text, entry.path().string());
    ASSERT_TRUE(back) << entry.path() << ": " << back.error() << "\n" << text;
    EXPECT_EQ(back->name, spec->name);
    EXPECT_EQ(back->purpose, spec->purpose);
    EXPECT_EQ(back->language, 2);
    EXPECT_EQ(back->filesystems, spec->filesystems);
    EXPECT_EQ(back->block_size, spec->block_size);
    EXPECT_EQ(back->gap.has_value(), spec->gap.has_value());
    EXPECT_EQ(back->eof.text(), spec->eof.text());
    EXPECT_EQ(StepLines(back->steps), StepLines(spec->steps)) << text;
    // Step by step as parsed, where no step carries language 1's open flags
    // (those become steps of their own).
    if (std::none_of(spec->steps.begin(), spec->steps.end(),
                     [](const Step& s) { return s.open_flags != 0; })) {
      ASSERT_EQ(back->steps.size(), spec->steps.size()) << text;
      for (std::size_t i = 0; i < spec->steps.size(); ++i)
        EXPECT_EQ(Parsed(back->steps[i]), Parsed(spec->steps[i])) << text;
    }
    EXPECT_EQ(CaseFileText(*back), text) << "a fixed point";
    ++cases;
  }
  EXPECT_GE(cases, 30);
}

TEST(CaseFileText, ARunsShutdownFlagReplacesTheCases) {
  const CaseSpec spec = test::CaseFromSteps(
      "x", "pwrite -S 0x5a 0 {eob}\nfsync\ntruncate {eof}\nfsync\nplant\n"
           "pwrite -S 0x42 {eob} {bs}\ncheck gap\nshutdown -f\ncycle_mount\ncheck gap\n");
  EXPECT_NE(CaseFileText(spec).find("\nshutdown -f\n"), std::string::npos);
  const std::string freeze = CaseFileText(spec, os::ShutdownFlag::kDefault);
  EXPECT_NE(freeze.find("\nshutdown -s\n"), std::string::npos) << freeze;
  const std::string none = CaseFileText(spec, os::ShutdownFlag::kNoLogFlush);
  EXPECT_NE(none.find("\nshutdown\n"), std::string::npos) << none;
}

TEST(StepLines, ALanguageOnePwritesOwnOpenFlagsBecomeOpenSteps) {
  auto spec = ParseCaseText(
      "name = \"x\"\npurpose = \"p\"\nlanguage = 1\nsteps = '''\n"
      "pwrite -S 0x5a 0 {eob}\nfsync\ntruncate {eof}\nfsync\nplant\n"
      "pwrite -D -S 0x42 {eob} {bs}\ncheck gap\nshutdown -f\ncycle_mount\ncheck gap\n'''\n",
      "/cases/x.toml");
  ASSERT_TRUE(spec) << spec.error();
  const auto lines = StepLines(spec->steps);
  const std::vector<std::string> want = {"open -d main", "pwrite -S 0x42 -b 1048576 {eob} {bs}",
                                         "open main"};
  EXPECT_NE(std::search(lines.begin(), lines.end(), want.begin(), want.end()), lines.end());
}

TEST(TomlString, EscapesQuotesBackslashesAndControls) {
  EXPECT_EQ(TomlString("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
  EXPECT_EQ(TomlString("tab\there"), "\"tab\\u0009here\"");
}

}  // namespace
}  // namespace eofzero::engine
