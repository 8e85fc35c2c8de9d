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

struct Expr::Node {
  char op = 0;  // 0: number, 'v': variable, else the operator
  std::int64_t value = 0;
  std::string name;
  std::shared_ptr<const Node> lhs, rhs;
};

namespace {

using NodePtr = std::shared_ptr<const Expr::Node>;

// Numbers: decimal or 0x hex, with an optional binary suffix k, m, g (as xfs_io).
std::optional<std::int64_t> ParseNumber(std::string_view s) {
  int base = 10;
  std::string_view digits = s;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
    if (!digits.empty() && digits[0] == '-') return std::nullopt;  // from_chars takes "0x-5"
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

class Parser {
 public:
  Parser(std::string_view text, std::span<const VariableInfo> allowed)
      : s_(text), allowed_(allowed) {}

  std::expected<NodePtr, std::string> Parse() {
    auto n = Sum();
    if (!n) return n;
    Skip();
    if (pos_ != s_.size()) return Error("unexpected '" + std::string(1, s_[pos_]) + "'");
    return n;
  }

 private:
  std::unexpected<std::string> Error(const std::string& what) const {
    return std::unexpected("bad expression '" + std::string(s_) + "': " + what);
  }
  void Skip() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  static NodePtr Binary(char op, NodePtr l, NodePtr r) {
    auto n = std::make_shared<Expr::Node>();
    n->op = op;
    n->lhs = std::move(l);
    n->rhs = std::move(r);
    return n;
  }

  std::expected<NodePtr, std::string> Sum() {
    auto l = Product();
    if (!l) return l;
    for (Skip(); pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-'); Skip()) {
      char op = s_[pos_++];
      auto r = Product();
      if (!r) return r;
      l = Binary(op, *l, *r);
    }
    return l;
  }

  std::expected<NodePtr, std::string> Product() {
    auto l = Atom();
    if (!l) return l;
    for (Skip(); pos_ < s_.size() && (s_[pos_] == '*' || s_[pos_] == '/' || s_[pos_] == '%');
         Skip()) {
      char op = s_[pos_++];
      auto r = Atom();
      if (!r) return r;
      l = Binary(op, *l, *r);
    }
    return l;
  }

  std::expected<NodePtr, std::string> Atom() {
    Skip();
    if (pos_ == s_.size()) return Error("missing a number or variable at the end");
    if (s_[pos_] == '(') {
      ++pos_;
      auto n = Sum();
      if (!n) return n;
      Skip();
      if (pos_ == s_.size() || s_[pos_] != ')') return Error("missing ')'");
      ++pos_;
      return n;
    }
    if (s_[pos_] == '-') {  // unary minus: 0 - atom
      ++pos_;
      auto n = Atom();
      if (!n) return n;
      auto zero = std::make_shared<Expr::Node>();
      return Binary('-', zero, *n);
    }
    std::size_t start = pos_;
    while (pos_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
      ++pos_;
    std::string_view word = s_.substr(start, pos_ - start);
    if (word.empty()) return Error("unexpected '" + std::string(1, s_[pos_]) + "'");
    auto n = std::make_shared<Expr::Node>();
    if (std::isdigit(static_cast<unsigned char>(word[0]))) {
      auto v = ParseNumber(word);
      if (!v) return Error("'" + std::string(word) + "' is not a number");
      n->value = *v;
      return n;
    }
    for (const auto& var : allowed_) {
      if (word == var.name) {
        n->op = 'v';
        n->name = word;
        return n;
      }
    }
    return Error("unknown variable '" + std::string(word) + "'");
  }

  std::string_view s_;
  std::span<const VariableInfo> allowed_;
  std::size_t pos_ = 0;
};

std::expected<std::int64_t, std::string> Evaluate(const Expr::Node& n, const Variables& vars) {
  if (n.op == 0) return n.value;
  if (n.op == 'v') {
    auto it = vars.find(n.name);
    if (it == vars.end()) return std::unexpected("variable '" + n.name + "' has no value");
    return it->second;
  }
  auto l = Evaluate(*n.lhs, vars);
  if (!l) return l;
  auto r = Evaluate(*n.rhs, vars);
  if (!r) return r;
  switch (n.op) {
    case '+': return *l + *r;
    case '-': return *l - *r;
    case '*': return *l * *r;
    default: break;
  }
  if (*r == 0) return std::unexpected("division by zero");
  return n.op == '/' ? *l / *r : *l % *r;
}

}  // namespace

std::expected<Expr, std::string> Expr::Parse(std::string_view text,
                                             std::span<const VariableInfo> allowed) {
  Expr e;
  e.text_ = text;
  if (text.size() >= 2 && text.front() == '{' && text.back() == '}') {
    auto root = Parser(text.substr(1, text.size() - 2), allowed).Parse();
    if (!root) return std::unexpected(root.error());
    e.root_ = *root;
    return e;
  }
  auto v = ParseNumber(text);
  if (!v)
    return std::unexpected("'" + std::string(text) +
                           "' is not a number (expressions go in braces: {bs + 1})");
  Expr lit = Literal(*v);
  lit.text_ = text;
  return lit;
}

Expr Expr::Literal(std::int64_t value) {
  Expr e;
  auto n = std::make_shared<Node>();
  n->value = value;
  e.root_ = n;
  e.text_ = std::to_string(value);
  return e;
}

std::expected<std::int64_t, std::string> Expr::Eval(const Variables& vars) const {
  auto v = Evaluate(*root_, vars);
  if (!v) return std::unexpected(text_ + ": " + v.error());
  return v;
}

}  // namespace eofzero::engine
