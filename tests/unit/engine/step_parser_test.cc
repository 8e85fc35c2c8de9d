#include "engine/step_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace eofzero::engine {
namespace {

Variables Vars() {
  return {{"bs", 4096}, {"ps", 4096}, {"gap", 16}, {"eof", 4080}, {"eof_block", 0}, {"eob", 4096}};
}

std::int64_t Eval(const Expr& e) {
  auto v = e.Eval(Vars());
  EXPECT_TRUE(v.has_value()) << e.text();
  return v ? *v : -1;
}

std::string ParseError(const std::string& text) {
  auto s = ParseStep(text, 1);
  EXPECT_FALSE(s.has_value()) << "'" << text << "' parsed";
  return s ? "" : s.error();
}

#define EXPECT_HAS(haystack, needle) \
  EXPECT_NE(std::string(haystack).find(needle), std::string::npos) << (haystack)

// Every step's example (from the registry) parses as that step, with every
// flag the step takes and the arguments it wants.
TEST(ParseStep, EveryStepParsesItsExample) {
  ASSERT_FALSE(StepDefs().empty());
  for (const auto& def : StepDefs()) {
    SCOPED_TRACE(def.name);
    const std::string example = def.example;
    ASSERT_TRUE(example.starts_with(std::string(def.name) + " ") || example == def.name);
    auto step = ParseStep(example, 12);
    ASSERT_TRUE(step.has_value()) << example << ": " << step.error();
    EXPECT_EQ(step->def, &def);
    EXPECT_EQ(step->line, 12);
    EXPECT_EQ(step->text, example);
    std::string flags;
    for (const char* f = def.flags; *f; ++f)
      if (*f != ':') flags += *f;
    EXPECT_EQ(step->flags.size(), flags.size());
    for (char f : flags) EXPECT_TRUE(step->Has(f)) << " -" << f;
    std::size_t numbers = 0, words = 0;
    for (const char* p = def.positionals; *p; ++p) (*p == 'w' ? words : numbers)++;
    EXPECT_EQ(step->numbers.size(), numbers);
    EXPECT_EQ(step->words.size(), words);
    EXPECT_TRUE(def.run != nullptr);
    EXPECT_TRUE(std::string(def.usage).starts_with(def.name));
    EXPECT_FALSE(std::string(def.help).empty());
  }
}

TEST(ParseStep, EveryStepRejectsAnExtraArgument) {
  for (const auto& def : StepDefs()) {
    std::string err = ParseError(std::string(def.example) + " 1");
    EXPECT_HAS(err, "argument(s) expected");
    EXPECT_HAS(err, "usage:");
  }
}

TEST(ParseStep, FlagValuesAndArguments) {
  auto s = ParseStep("pwrite -S 0x42 -D {eob} {bs}", 3);
  ASSERT_TRUE(s.has_value()) << s.error();
  ASSERT_TRUE(s->Has('S'));
  ASSERT_TRUE(s->flags.at('S').has_value());
  EXPECT_EQ(Eval(*s->flags.at('S')), 0x42);
  ASSERT_TRUE(s->Has('D'));
  EXPECT_FALSE(s->flags.at('D').has_value());
  EXPECT_FALSE(s->Has('a'));
  ASSERT_EQ(s->numbers.size(), 2u);
  EXPECT_EQ(Eval(s->numbers[0]), 4096);
  EXPECT_EQ(Eval(s->numbers[1]), 4096);
}

TEST(ParseStep, ExpressionsWithBlanksAreOneToken) {
  auto s = ParseStep("pwrite -S {0x40 + 2}   { eob + bs }\t{ 2 * (bs - gap) }", 1);
  ASSERT_TRUE(s.has_value()) << s.error();
  EXPECT_EQ(Eval(*s->flags.at('S')), 0x42);
  ASSERT_EQ(s->numbers.size(), 2u);
  EXPECT_EQ(Eval(s->numbers[0]), 8192);
  EXPECT_EQ(Eval(s->numbers[1]), 8160);
}

TEST(ParseStep, CopyRangeValuesAndWord) {
  auto s = ParseStep("copy_range -s {bs} -l 64k src", 1);
  ASSERT_TRUE(s.has_value()) << s.error();
  EXPECT_EQ(Eval(*s->flags.at('s')), 4096);
  EXPECT_EQ(Eval(*s->flags.at('l')), 65536);
  EXPECT_FALSE(s->Has('d'));
  EXPECT_EQ(s->words, std::vector<std::string>{"src"});
}

TEST(ParseStep, FlagGivenTwice) {
  EXPECT_HAS(ParseError("pwrite -D -D 0 1"), "flag '-D' given twice");
  EXPECT_HAS(ParseError("pwrite -S 1 -S 2 0 1"), "flag '-S' given twice");
}

TEST(ParseStep, UnknownFlag) {
  std::string err = ParseError("pwrite -x 0 1");
  EXPECT_HAS(err, "pwrite: unknown flag '-x'");
  EXPECT_HAS(err, "usage: pwrite");
  EXPECT_HAS(ParseError("fsync -f"), "unknown flag '-f'");
  EXPECT_HAS(ParseError("truncate -k 1"), "unknown flag '-k'");
  // ':' marks a flag with a value in the table; it is no flag itself.
  EXPECT_HAS(ParseError("pwrite -: 0 1"), "unknown flag '-:'");
  EXPECT_HAS(ParseError("copy_range -: src"), "unknown flag '-:'");
}

TEST(ParseStep, BadFlags) {
  EXPECT_HAS(ParseError("pwrite -SD 0 1"), "bad flag '-SD'");
  EXPECT_HAS(ParseError("pwrite -S"), "flag '-S' needs a value");
  EXPECT_HAS(ParseError("pwrite 0 1 -D"), "2 argument(s) expected, 3 given");  // flags first
  EXPECT_HAS(ParseError("pwrite -S bs 0 1"), "not a number");
  EXPECT_HAS(ParseError("pwrite -S {nope} 0 1"), "unknown variable 'nope'");
}

TEST(ParseStep, WrongArgumentCount) {
  EXPECT_HAS(ParseError("pwrite 0"), "pwrite: 2 argument(s) expected, 1 given");
  EXPECT_HAS(ParseError("pwrite -S 0x42"), "pwrite: 2 argument(s) expected, 0 given");
  EXPECT_HAS(ParseError("truncate"), "truncate: 1 argument(s) expected, 0 given");
  EXPECT_HAS(ParseError("fsync 1"), "fsync: 0 argument(s) expected, 1 given");
  EXPECT_HAS(ParseError("reflink src 0 0"), "reflink: 4 argument(s) expected, 3 given");
  EXPECT_HAS(ParseError("check gap now"), "check gap: 0 argument(s) expected, 1 given");
  EXPECT_HAS(ParseError("expect size"), "expect size: 1 argument(s) expected, 0 given");
}

TEST(ParseStep, BadArguments) {
  EXPECT_HAS(ParseError("truncate eof"), "'eof' is not a number");
  EXPECT_HAS(ParseError("truncate {eof +}"), "bad expression");
  EXPECT_HAS(ParseError("file ../etc/passwd"), "is not a plain file name");
  EXPECT_HAS(ParseError("file -x"), "unknown flag");  // a word cannot look like a flag
  EXPECT_HAS(ParseError("file .hidden"), "is not a plain file name");
  EXPECT_HAS(ParseError("file a/b"), "is not a plain file name");
  EXPECT_HAS(ParseError("reflink {bs} 0 0 1"), "is not a plain file name");
}

TEST(ParseStep, FileNamesHaveALengthLimit) {
  // case_NAME.FILE must stay well under NAME_MAX (255).
  const std::string longest(kMaxNameLength, 'f');
  EXPECT_TRUE(ParseStep("file " + longest, 1).has_value());
  EXPECT_HAS(ParseError("file " + std::string(300, 'f')), "at most 64 characters");
  EXPECT_HAS(ParseError("copy_range " + longest + "x"), "at most 64 characters");
  EXPECT_HAS(ParseError("reflink " + longest + "x 0 0 1"), "at most 64 characters");
}

TEST(ParseStep, LongLinesAreRefused) {
  const std::string step = "truncate {1" + std::string(kMaxStepLength, ' ') + "}";
  const std::string err = ParseError(step);
  EXPECT_HAS(err, "at most 1024 characters");
  EXPECT_LT(err.size(), 200u);  // does not quote the whole line
}

TEST(ParseStep, UnknownCommand) {
  EXPECT_HAS(ParseError("pwritev 0 1"), "unknown command 'pwritev'");
  EXPECT_HAS(ParseError("PWRITE 0 1"), "unknown command 'PWRITE'");
  EXPECT_HAS(ParseError("check"), "unknown command 'check'");
  EXPECT_HAS(ParseError("check size 1"), "unknown command 'check size'");
  EXPECT_HAS(ParseError("expect gap"), "unknown command 'expect gap'");
  EXPECT_HAS(ParseError("gap"), "unknown command 'gap'");
}

TEST(ParseStep, UnbalancedBraces) {
  EXPECT_HAS(ParseError("truncate {eob + bs"), "unbalanced '{'");
  EXPECT_HAS(ParseError("truncate eob}"), "unbalanced '}'");
  EXPECT_HAS(ParseError("pwrite {eob}} {bs}"), "unbalanced '}'");
  EXPECT_HAS(ParseError("pwrite {{eob} {bs}"), "unbalanced '{'");
}

TEST(ParseStep, CommentsAreTheCallersJob) {
  // The caller strips '#' comments; here a '#' is just a bad token.
  EXPECT_FALSE(ParseStep("fsync # flush", 1).has_value());
  EXPECT_FALSE(ParseStep("truncate {eof} # the old EOF", 1).has_value());
  EXPECT_FALSE(ParseStep("# a comment", 1).has_value());
}

TEST(ParseStep, BlanksAroundTokens) {
  auto s = ParseStep("  truncate \t {eof}  ", 1);
  ASSERT_TRUE(s.has_value()) << s.error();
  EXPECT_EQ(Eval(s->numbers.at(0)), 4080);
  ASSERT_TRUE(ParseStep("check   gap", 1).has_value());
}

// ---- ValidateSequence -------------------------------------------------------

// Steps one per line, the first on line 10 (the steps field is on line 9).
std::vector<Step> Steps(const std::vector<std::string>& lines) {
  std::vector<Step> out;
  int line = 10;
  for (const auto& text : lines) {
    auto s = ParseStep(text, line++);
    EXPECT_TRUE(s.has_value()) << text << ": " << s.error();
    if (s) out.push_back(std::move(*s));
  }
  return out;
}

constexpr int kStepsLine = 9;

struct SequenceCase {
  const char* what;
  std::vector<std::string> steps;
  int error_line;      // 0: valid
  const char* phrase;  // part of the message
};

const std::vector<SequenceCase> kSequences = {
    {"valid",
     {"pwrite -S 0x5a 0 {eob}", "truncate {eof}", "fsync", "plant", "truncate {eob + bs}",
      "check gap", "shutdown -f", "cycle_mount", "expect size {eob + bs}", "check gap"},
     0, ""},
    {"valid with two crashes",
     {"plant", "shutdown", "cycle_mount", "check gap", "shutdown -f", "cycle_mount",
      "expect size {eob}", "check gap"},
     0, ""},
    {"valid: checks in either order, remount without a crash before it",
     {"cycle_mount", "plant", "shutdown", "cycle_mount", "check gap", "expect size 1"}, 0, ""},
    {"no plant", {"truncate {eob}", "fsync", "sync"}, kStepsLine, "the steps never plant"},
    {"two plants", {"plant", "fsync", "plant"}, 12, "a second plant (the first is on line 10)"},
    {"check gap before the plant", {"check gap", "plant"}, 10, "'check gap' before the plant"},
    {"expect size before the plant", {"fsync", "expect size 0", "plant"}, 11,
     "'expect size 0' before the plant"},
    {"shutdown before the plant", {"shutdown", "cycle_mount", "plant"}, 10,
     "shutdown before the plant"},
    {"step after shutdown without cycle_mount",
     {"plant", "shutdown -f", "check gap", "cycle_mount", "expect size 1", "check gap"}, 12,
     "'check gap' after a shutdown with no cycle_mount"},
    {"shutdown twice", {"plant", "shutdown", "shutdown", "cycle_mount"}, 12,
     "'shutdown' after a shutdown with no cycle_mount"},
    {"shutdown at the end", {"plant", "check gap", "expect size 1", "shutdown -f"}, 13,
     "shutdown with no cycle_mount after it"},
    {"no crash", {"plant", "truncate {eob}", "check gap", "expect size {eob}"}, kStepsLine,
     "the steps never crash (shutdown)"},
    {"no check gap after the crash",
     {"plant", "check gap", "shutdown", "cycle_mount", "expect size 1"}, kStepsLine,
     "no 'check gap' after the last shutdown and cycle_mount"},
    {"checks only after the first of two crashes",
     {"plant", "shutdown", "cycle_mount", "check gap", "expect size 1", "shutdown",
      "cycle_mount"},
     kStepsLine, "no 'check gap' after the last shutdown"},
    {"plant after a crash", {"truncate 1", "cycle_mount", "plant", "shutdown", "cycle_mount",
                             "plant"},
     15, "a second plant"},
    {"empty", {}, kStepsLine, "never plant"},
};

TEST(ValidateSequence, Table) {
  for (const auto& c : kSequences) {
    SCOPED_TRACE(c.what);
    auto ok = ValidateSequence(Steps(c.steps), kStepsLine);
    if (c.error_line == 0) {
      EXPECT_TRUE(ok.has_value()) << ok.error().line << ": " << ok.error().message;
      continue;
    }
    ASSERT_FALSE(ok.has_value());
    EXPECT_EQ(ok.error().line, c.error_line) << ok.error().message;
    EXPECT_HAS(ok.error().message, c.phrase);
  }
}

}  // namespace
}  // namespace eofzero::engine
