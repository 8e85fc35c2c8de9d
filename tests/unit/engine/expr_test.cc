#include "engine/expr.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace eofzero::engine {
namespace {

// bs 4096 with a 16-byte gap: eof 4080, the EOF block at 0, its end at 4096.
Variables Vars() {
  return {{"bs", 4096}, {"ps", 4096}, {"gap", 16}, {"eof", 4080}, {"eof_block", 0}, {"eob", 4096}};
}

// Parses and evaluates; a parse or evaluation error fails the test.
std::int64_t Value(const std::string& text) {
  auto e = Expr::Parse(text, CaseVariables());
  EXPECT_TRUE(e.has_value()) << text << ": " << (e ? "" : e.error());
  if (!e) return -1;
  auto v = e->Eval(Vars());
  EXPECT_TRUE(v.has_value()) << text << ": " << (v ? "" : v.error());
  return v ? *v : -1;
}

std::string ParseError(const std::string& text) {
  auto e = Expr::Parse(text, CaseVariables());
  EXPECT_FALSE(e.has_value()) << text << " parsed";
  return e ? "" : e.error();
}

TEST(ExprLiteral, DecimalHexAndBinarySuffixes) {
  EXPECT_EQ(Value("0"), 0);
  EXPECT_EQ(Value("4096"), 4096);
  EXPECT_EQ(Value("0x42"), 0x42);
  EXPECT_EQ(Value("0X5a"), 0x5a);
  EXPECT_EQ(Value("64k"), 64 * 1024);
  EXPECT_EQ(Value("64K"), 64 * 1024);
  EXPECT_EQ(Value("3m"), 3 * 1024 * 1024);
  EXPECT_EQ(Value("2g"), std::int64_t{2} << 30);
  EXPECT_EQ(Value("9223372036854775807"), INT64_MAX);
}

TEST(ExprLiteral, KeepsTheTextAsWritten) {
  EXPECT_EQ(Expr::Parse("64k", CaseVariables())->text(), "64k");
  EXPECT_EQ(Expr::Parse("{eob + bs}", CaseVariables())->text(), "{eob + bs}");
  EXPECT_EQ(Expr::Literal(7).text(), "7");
  EXPECT_EQ(*Expr::Literal(7).Eval({}), 7);
}

TEST(ExprLiteral, RejectsMalformedNumbers) {
  for (const char* bad : {"", "0x", "0xg", "0x4k", "k", "12kk", "4096b", "1.5", "+1", " 1",
                          "1 ", "12abc", "0x-5", "--1"})
    EXPECT_FALSE(Expr::Parse(bad, CaseVariables()).has_value()) << "'" << bad << "'";
}

TEST(ExprLiteral, RejectsOverflow) {
  ParseError("9223372036854775808");
  ParseError("0x8000000000000000");
  ParseError("8589934592g");  // 2^63
  ParseError("9007199254740992k");
  EXPECT_EQ(Value("8589934591g"), INT64_MAX - (std::int64_t{1} << 30) + 1);
  // Inside braces too.
  ParseError("{1 + 99999999999999999999}");
}

TEST(ExprLiteral, BareIdentifierNeedsBraces) {
  std::string err = ParseError("bs");
  EXPECT_NE(err.find("'bs' is not a number"), std::string::npos) << err;
  EXPECT_NE(err.find("braces"), std::string::npos) << err;
  ParseError("eob+bs");
}

TEST(ExprBraced, Variables) {
  EXPECT_EQ(Value("{bs}"), 4096);
  EXPECT_EQ(Value("{ps}"), 4096);
  EXPECT_EQ(Value("{gap}"), 16);
  EXPECT_EQ(Value("{eof}"), 4080);
  EXPECT_EQ(Value("{eof_block}"), 0);
  EXPECT_EQ(Value("{eob}"), 4096);
  EXPECT_EQ(Value("{bs - gap}"), 4080);
  EXPECT_EQ(Value("{ 2*bs+gap }"), 8208);
  EXPECT_EQ(Value("{64k + 0x10}"), 65552);
}

TEST(ExprBraced, Precedence) {
  EXPECT_EQ(Value("{2 + 3 * 4}"), 14);
  EXPECT_EQ(Value("{2 * 3 + 4}"), 10);
  EXPECT_EQ(Value("{10 - 4 - 3}"), 3);  // left associative
  EXPECT_EQ(Value("{64 / 4 / 2}"), 8);
  EXPECT_EQ(Value("{17 % 5 * 2}"), 4);
  EXPECT_EQ(Value("{1 + 17 % 5}"), 3);
  EXPECT_EQ(Value("{eob + bs / 2}"), 6144);
}

TEST(ExprBraced, Parentheses) {
  EXPECT_EQ(Value("{(2 + 3) * 4}"), 20);
  EXPECT_EQ(Value("{2 * (bs + gap)}"), 8224);
  EXPECT_EQ(Value("{((1))}"), 1);
  EXPECT_EQ(Value("{10 - (4 - 3)}"), 9);
  std::string err = ParseError("{(1 + 2}");
  EXPECT_NE(err.find("missing ')'"), std::string::npos) << err;
  ParseError("{1 + 2)}");
  ParseError("{()}");
}

TEST(ExprBraced, UnaryMinus) {
  EXPECT_EQ(Value("{-1}"), -1);
  EXPECT_EQ(Value("{-gap}"), -16);
  EXPECT_EQ(Value("{bs - -gap}"), 4112);
  EXPECT_EQ(Value("{-2 * 3}"), -6);
  EXPECT_EQ(Value("{2 * -3}"), -6);
  EXPECT_EQ(Value("{-(bs + gap)}"), -4112);
  EXPECT_EQ(Value("{--5}"), 5);
}

TEST(ExprBraced, DivisionByZeroFailsAtEval) {
  for (const char* text : {"{bs / 0}", "{bs % 0}", "{bs / (gap - 16)}"}) {
    auto e = Expr::Parse(text, CaseVariables());
    ASSERT_TRUE(e.has_value()) << text << ": " << e.error();
    auto v = e->Eval(Vars());
    ASSERT_FALSE(v.has_value()) << text;
    EXPECT_NE(v.error().find("division by zero"), std::string::npos) << v.error();
    EXPECT_TRUE(v.error().starts_with(text)) << v.error();
  }
  // With another gap the same expression is fine.
  Variables vars = Vars();
  vars["gap"] = 20;
  EXPECT_EQ(*Expr::Parse("{bs / (gap - 16)}", CaseVariables())->Eval(vars), 1024);
}

TEST(ExprBraced, UnknownVariableFailsAtParse) {
  std::string err = ParseError("{bs + blocksize}");
  EXPECT_NE(err.find("unknown variable 'blocksize'"), std::string::npos) << err;
  EXPECT_NE(err.find("'bs + blocksize'"), std::string::npos) << err;  // names the expression
  ParseError("{BS}");  // case matters
}

TEST(ExprBraced, OnlyTheAllowedVariables) {
  static const VariableInfo kOnlyBs[] = {{"bs", "block size"}};
  EXPECT_TRUE(Expr::Parse("{bs}", kOnlyBs).has_value());
  EXPECT_FALSE(Expr::Parse("{gap}", kOnlyBs).has_value());
}

TEST(ExprBraced, VariableWithoutValueFailsAtEval) {
  auto e = Expr::Parse("{eob + bs}", CaseVariables());
  ASSERT_TRUE(e.has_value());
  auto v = e->Eval({{"eob", 4096}});
  ASSERT_FALSE(v.has_value());
  EXPECT_NE(v.error().find("'bs' has no value"), std::string::npos) << v.error();
}

TEST(ExprBraced, TrailingGarbage) {
  std::string err = ParseError("{bs + 1 x}");
  EXPECT_NE(err.find("unexpected 'x'"), std::string::npos) << err;
  ParseError("{bs bs}");
  ParseError("{1 2}");
  ParseError("{bs + 1}x");
  ParseError("{bs}}");
  ParseError("{bs + 1;}");
  ParseError("{2bs}");
}

TEST(ExprBraced, IncompleteExpressions) {
  std::string err = ParseError("{bs +}");
  EXPECT_NE(err.find("missing a number or variable"), std::string::npos) << err;
  ParseError("{}");
  ParseError("{ }");
  ParseError("{*2}");
  ParseError("{bs * / 2}");
  ParseError("{");
  ParseError("}");
}

}  // namespace
}  // namespace eofzero::engine

namespace eofzero::engine {
namespace {

// The error of evaluating `text` against Vars() (it must parse).
std::string EvalError(const std::string& text) {
  auto e = Expr::Parse(text, CaseVariables());
  EXPECT_TRUE(e.has_value()) << text << ": " << (e ? "" : e.error());
  if (!e) return "";
  auto v = e->Eval(Vars());
  EXPECT_FALSE(v.has_value()) << text << " = " << (v ? *v : 0);
  return v ? "" : v.error();
}

TEST(ExprLiteral, RejectsASign) {
  // from_chars takes a sign for a signed type: "truncate -5" must not parse.
  for (const char* bad : {"-5", "-0", "+5", "-0x5"})
    EXPECT_FALSE(Expr::Parse(bad, CaseVariables()).has_value()) << "'" << bad << "'";
}

TEST(ExprLimits, DeepNestingIsRefusedNotAStackOverflow) {
  const std::string deep = "{" + std::string(30000, '(') + "1" + std::string(30000, ')') + "}";
  std::string err = ParseError(deep);
  EXPECT_NE(err.find("at most"), std::string::npos) << err.substr(0, 200);
  EXPECT_LT(err.size(), 200u) << "the error quotes the whole expression";
  std::string minus = "{" + std::string(200, '-') + "1}";
  ParseError(minus);
}

TEST(ExprLimits, ManyTermsAreRefusedNotAStackOverflow) {
  std::string terms = "{0";
  for (int i = 0; i < 60000; ++i) terms += " + 0";
  ParseError(terms + "}");
}

TEST(ExprLimits, NestingUpToTheLimitIsFine) {
  const std::string ok = std::string(kMaxExprNesting, '(') + "1" + std::string(kMaxExprNesting, ')');
  EXPECT_EQ(Value("{" + ok + "}"), 1);
  std::string err = ParseError("{(" + ok + ")}");
  EXPECT_NE(err.find("nested"), std::string::npos) << err;
  err = ParseError("{" + std::string(kMaxExprNesting + 1, '-') + "1}");
  EXPECT_NE(err.find("nested"), std::string::npos) << err;
  std::string longest = "{1";
  while (longest.size() + 5 <= kMaxExprLength) longest += " + 1";
  EXPECT_GT(Value(longest + "}"), 1);
  err = ParseError(longest + " + 1 + 1}");
  EXPECT_NE(err.find("characters"), std::string::npos) << err;
}

TEST(ExprBraced, OverflowIsAnErrorNotAWrap) {
  EXPECT_NE(EvalError("{4611686018427387904 * 4 + eob + bs}").find("overflow"), std::string::npos);
  EXPECT_NE(EvalError("{9223372036854775807 + 1}").find("overflow"), std::string::npos);
  EXPECT_NE(EvalError("{0 - 9223372036854775807 - 2}").find("overflow"), std::string::npos);
  EXPECT_NE(EvalError("{(0 - 9223372036854775807 - 1) / -1}").find("overflow"),
            std::string::npos);
  EXPECT_NE(EvalError("{-(0 - 9223372036854775807 - 1)}").find("overflow"), std::string::npos);
  std::string err = EvalError("{9223372036854775807 * bs}");
  EXPECT_TRUE(err.starts_with("{9223372036854775807 * bs}: ")) << err;
  // The extremes themselves are fine, and INT64_MIN % -1 is 0 (no trap).
  EXPECT_EQ(Value("{0 - 9223372036854775807 - 1}"), INT64_MIN);
  EXPECT_EQ(Value("{(0 - 9223372036854775807 - 1) % -1}"), 0);
  EXPECT_EQ(Value("{4611686018427387903 * 2 + 1}"), INT64_MAX);
}

}  // namespace
}  // namespace eofzero::engine
