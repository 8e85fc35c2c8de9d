#include "engine/toml_text.h"

#include <sstream>

namespace eofzero::engine {
namespace {

// The dots in a key or table header: those outside quotes, up to the '='
// (a key) or the end of the line (a header).
std::size_t KeyDepth(const std::string& line) {
  std::size_t dots = 0;
  char quote = 0;
  for (char c : line) {
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '=' || c == '#') {
      break;
    } else if (c == '.') {
      ++dots;
    }
  }
  return dots + 1;
}

}  // namespace

std::expected<toml::table, std::string> ParseTomlText(const std::string& text,
                                                      const std::string& file) {
  std::istringstream in(text);
  const char* open = nullptr;  // the delimiter of a multi-line string we are in
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    for (const char* delim : {"'''", "\"\"\""}) {
      for (auto at = line.find(delim); at != std::string::npos; at = line.find(delim, at + 3)) {
        if (!open) {
          if (KeyDepth(line.substr(0, at)) > kMaxKeyDepth) break;
          open = delim;
        } else if (open == delim) {
          open = nullptr;
        }
      }
    }
    if (open && line.find(open) == std::string::npos) continue;  // inside a string
    if (KeyDepth(line) > kMaxKeyDepth)
      return std::unexpected(file + ":" + std::to_string(n) + ": a key nested more than " +
                             std::to_string(kMaxKeyDepth) + " deep");
  }
  try {
    return toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    return std::unexpected(file + ":" + std::to_string(e.source().begin.line) + ": " +
                           std::string(e.description()));
  }
}

}  // namespace eofzero::engine
