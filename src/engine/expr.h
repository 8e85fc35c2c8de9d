// Integer expressions in case files: "{eob + bs}", "64k", "0x5a", "{bs - gap}".
// Parsed once when the case file is loaded (syntax and variable names are
// checked then, so a bad expression is a FILE:LINE error before anything is
// mounted) and evaluated per run against the configuration's variables.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace eofzero::engine {

// The variables a case can use, with their meaning (for docs/cases.md, the man
// page and errors).
struct VariableInfo {
  const char* name;
  const char* meaning;
};
std::span<const VariableInfo> CaseVariables();

using Variables = std::map<std::string, std::int64_t, std::less<>>;

// Limits that keep any expression cheap to parse and evaluate (no input can
// exhaust the stack): its text, braces included, and how deep parentheses
// and unary minus nest.
inline constexpr std::size_t kMaxExprLength = 256;
inline constexpr int kMaxExprNesting = 16;

class Expr {
 public:
  // `text` is either a literal number ("4096", "0x42", "64k"; no sign) or a
  // braced expression ("{2 * bs + 7}") with + - * / %, unary minus and
  // parentheses over numbers and the variables named by `allowed`, within
  // kMaxExprLength and kMaxExprNesting. The error is a one-line message.
  static std::expected<Expr, std::string> Parse(std::string_view text,
                                                std::span<const VariableInfo> allowed);
  static Expr Literal(std::int64_t value);

  // Fails on division by zero, on a result that does not fit in 64 bits
  // (every operation is checked: nothing wraps), or a variable missing from
  // `vars`. Iterative: no recursion, whatever the expression.
  std::expected<std::int64_t, std::string> Eval(const Variables& vars) const;
  const std::string& text() const { return text_; }

  // One item of the expression in postfix order: a number, a variable, or a
  // binary operator applied to the two values before it.
  struct Token {
    char op = 0;  // 0: number, 'v': variable, else + - * / %
    std::int64_t value = 0;
    std::string name;
  };

 private:
  std::vector<Token> postfix_;
  std::string text_;
};

}  // namespace eofzero::engine
