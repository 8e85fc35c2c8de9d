#include "engine/expr.h"

#include <cctype>
#include <charconv>
#include <optional>

namespace eofzero::engine {

std::span<const VariableInfo> CaseVariables() {
  static const VariableInfo kVars[] = {
      {"bs", "the filesystem block size"},
      {"ps", "the page size"},
      {"gap", "bytes from the old EOF to the end of its block"},
      {"eof", "the old, non-aligned EOF the sentinel sits behind"},
      {"eof_block", "file offset of the block that holds the old EOF"},
      {"eob", "end of that block: eof + gap"},
  };
  return kVars;
}

namespace {

using Token = Expr::Token;

// Numbers: decimal or 0x hex, with an optional binary suffix k, m, g (as
// xfs_io). No sign: from_chars would take "-5" for a signed type, and a
// negative size is never meant ({0 - 5} says it on purpose).
std::optional<std::int64_t> ParseNumber(std::string_view s) {
  if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0]))) return std::nullopt;
  int base = 10;
  std::string_view digits = s;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
    if (!digits.empty() && !std::isxdigit(static_cast<unsigned char>(digits[0])))
      return std::nullopt;  // from_chars takes "0x-5"
  }
  int shift = 0;
  if (base == 10 && !digits.empty()) {
    switch (std::tolower(static_cast<unsigned char>(digits.back()))) {
      case 'k': shift = 10; break;
      case 'm': shift = 20; break;
      case 'g': shift = 30; break;
      default: break;
    }
    if (shift) digits.remove_suffix(1);
  }
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
  if (ec != std::errc() || p != digits.data() + digits.size() || digits.empty()) return std::nullopt;
  if (v > (INT64_MAX >> shift)) return std::nullopt;
  return v << shift;
}

// The start of a long text, for an error message that stays one short line.
std::string Quote(std::string_view text) {
  constexpr std::size_t kShown = 40;
  if (text.size() <= kShown) return "'" + std::string(text) + "'";
  return "'" + std::string(text.substr(0, kShown)) + "...' (" + std::to_string(text.size()) +
         " characters)";
}

// Recursive descent into postfix tokens. The recursion is bounded: every
// level of it is a parenthesis or a unary minus, counted against
// kMaxExprNesting (and the text is at most kMaxExprLength long).
class Parser {
 public:
  Parser(std::string_view text, std::span<const VariableInfo> allowed)
      : s_(text), allowed_(allowed) {}

  std::expected<std::vector<Token>, std::string> Parse() {
    if (auto ok = Sum(); !ok) return std::unexpected(ok.error());
    Skip();
    if (pos_ != s_.size()) return Error("unexpected '" + std::string(1, s_[pos_]) + "'");
    return std::move(out_);
  }

 private:
  using Status = std::expected<void, std::string>;

  std::unexpected<std::string> Error(const std::string& what) const {
    return std::unexpected("bad expression '" + std::string(s_) + "': " + what);
  }
  void Skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  void Emit(char op, std::int64_t value = 0, std::string name = "") {
    out_.push_back(Token{op, value, std::move(name)});
  }

  Status Sum() {
    if (auto ok = Product(); !ok) return ok;
    for (Skip(); pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-'); Skip()) {
      char op = s_[pos_++];
      if (auto ok = Product(); !ok) return ok;
      Emit(op);
    }
    return {};
  }

  Status Product() {
    if (auto ok = Atom(); !ok) return ok;
    for (Skip(); pos_ < s_.size() && (s_[pos_] == '*' || s_[pos_] == '/' || s_[pos_] == '%');
         Skip()) {
      char op = s_[pos_++];
      if (auto ok = Atom(); !ok) return ok;
      Emit(op);
    }
    return {};
  }

  // One nesting level deeper for the duration of `parse`.
  template <class F>
  Status Nested(F&& parse) {
    if (++depth_ > kMaxExprNesting)
      return Error("parentheses and unary minus nested deeper than " +
                   std::to_string(kMaxExprNesting));
    Status ok = parse();
    --depth_;
    return ok;
  }

  Status Atom() {
    Skip();
    if (pos_ == s_.size()) return Error("missing a number or variable at the end");
    if (s_[pos_] == '(') {
      ++pos_;
      return Nested([&]() -> Status {
        if (auto ok = Sum(); !ok) return ok;
        Skip();
        if (pos_ == s_.size() || s_[pos_] != ')') return Error("missing ')'");
        ++pos_;
        return {};
      });
    }
    if (s_[pos_] == '-') {  // unary minus: 0 - atom
      ++pos_;
      return Nested([&]() -> Status {
        Emit(0, 0);
        if (auto ok = Atom(); !ok) return ok;
        Emit('-');
        return {};
      });
    }
    std::size_t start = pos_;
    while (pos_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
      ++pos_;
    std::string_view word = s_.substr(start, pos_ - start);
    if (word.empty()) return Error("unexpected '" + std::string(1, s_[pos_]) + "'");
    if (std::isdigit(static_cast<unsigned char>(word[0]))) {
      auto v = ParseNumber(word);
      if (!v) return Error("'" + std::string(word) + "' is not a number");
      Emit(0, *v);
      return {};
    }
    for (const auto& var : allowed_) {
      if (word == var.name) {
        Emit('v', 0, std::string(word));
        return {};
      }
    }
    return Error("unknown variable '" + std::string(word) + "'");
  }

  std::string_view s_;
  std::span<const VariableInfo> allowed_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  std::vector<Token> out_;
};

// l op r, or why it has no 64-bit value: nothing wraps.
std::expected<std::int64_t, std::string> Apply(char op, std::int64_t l, std::int64_t r) {
  std::int64_t v = 0;
  bool overflow = false;
  switch (op) {
    case '+': overflow = __builtin_add_overflow(l, r, &v); break;
    case '-': overflow = __builtin_sub_overflow(l, r, &v); break;
    case '*': overflow = __builtin_mul_overflow(l, r, &v); break;
    default:
      if (r == 0) return std::unexpected("division by zero");
      // INT64_MIN / -1 is 2^63, which does not fit (and traps on x86, as
      // INT64_MIN % -1 does, whose value is 0).
      if (l == INT64_MIN && r == -1) {
        overflow = op == '/';
        v = 0;
      } else {
        v = op == '/' ? l / r : l % r;
      }
  }
  if (overflow)
    return std::unexpected(std::to_string(l) + " " + op + " " + std::to_string(r) +
                           " overflows (does not fit in 64 bits)");
  return v;
}

}  // namespace

std::expected<Expr, std::string> Expr::Parse(std::string_view text,
                                             std::span<const VariableInfo> allowed) {
  if (text.size() > kMaxExprLength)
    return std::unexpected("expression " + Quote(text) + " is too long: at most " +
                           std::to_string(kMaxExprLength) + " characters");
  Expr e;
  e.text_ = text;
  if (text.size() >= 2 && text.front() == '{' && text.back() == '}') {
    auto postfix = Parser(text.substr(1, text.size() - 2), allowed).Parse();
    if (!postfix) return std::unexpected(postfix.error());
    e.postfix_ = std::move(*postfix);
    return e;
  }
  auto v = ParseNumber(text);
  if (!v)
    return std::unexpected("'" + std::string(text) +
                           "' is not a number (expressions go in braces: {bs + 1})");
  e.postfix_ = {Token{0, *v, ""}};
  return e;
}

Expr Expr::Literal(std::int64_t value) {
  Expr e;
  e.postfix_ = {Token{0, value, ""}};
  e.text_ = std::to_string(value);
  return e;
}

std::expected<std::int64_t, std::string> Expr::Eval(const Variables& vars) const {
  std::vector<std::int64_t> stack;
  for (const Token& t : postfix_) {
    if (t.op == 0) {
      stack.push_back(t.value);
    } else if (t.op == 'v') {
      auto it = vars.find(t.name);
      if (it == vars.end())
        return std::unexpected(text_ + ": variable '" + t.name + "' has no value");
      stack.push_back(it->second);
    } else {
      const std::int64_t r = stack.back();
      stack.pop_back();
      auto v = Apply(t.op, stack.back(), r);
      if (!v) return std::unexpected(text_ + ": " + v.error());
      stack.back() = *v;
    }
  }
  return stack.back();
}

}  // namespace eofzero::engine
