// Integer expressions in case files: "{eob + bs}", "64k", "0x5a", "{bs - gap}".
// Parsed once when the case file is loaded (syntax and variable names are
// checked then, so a bad expression is a FILE:LINE error before anything is
// mounted) and evaluated per run against the configuration's variables.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace eofzero::engine {

// The variables a case can use, with their meaning (for the README and errors).
struct VariableInfo {
  const char* name;
  const char* meaning;
};
std::span<const VariableInfo> CaseVariables();

using Variables = std::map<std::string, std::int64_t, std::less<>>;

class Expr {
 public:
  // `text` is either a literal number ("4096", "0x42", "64k") or a braced
  // expression ("{2 * bs + 7}") with + - * / % and parentheses over numbers
  // and the variables named by `allowed`. The error is a one-line message.
  static std::expected<Expr, std::string> Parse(std::string_view text,
                                                std::span<const VariableInfo> allowed);
  static Expr Literal(std::int64_t value);

  // Fails on division by zero or a variable missing from `vars`.
  std::expected<std::int64_t, std::string> Eval(const Variables& vars) const;
  const std::string& text() const { return text_; }

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
  std::string text_;
};

}  // namespace eofzero::engine
