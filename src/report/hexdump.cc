#include "report/hexdump.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace eofzero::report {
namespace {

constexpr std::uint64_t kWidth = 16;

std::string RenderLine(ByteView bytes, std::uint64_t start, const HexdumpOptions& opt,
                       const MarkFn& mark) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%08llx ",
                static_cast<unsigned long long>(opt.display_base + start));
  std::string hex = buf, marks(hex.size(), ' '), ascii;
  bool any_mark = false;
  for (std::uint64_t i = start; i < start + kWidth; ++i) {
    if (i - start == 8) {
      hex += ' ';
      marks += ' ';
    }
    if (i >= bytes.size()) {
      hex += "   ";
      marks += "   ";
      continue;
    }
    std::snprintf(buf, sizeof buf, " %02x", bytes[i]);
    hex += buf;
    char m = mark ? mark(i) : ' ';
    any_mark |= m != ' ';
    marks += ' ';
    marks += m;
    marks += m;
    ascii += (bytes[i] >= 0x20 && bytes[i] < 0x7f) ? static_cast<char>(bytes[i]) : '.';
  }
  std::string out = opt.indent + hex + "  |" + ascii + "|\n";
  if (any_mark) {
    while (!marks.empty() && marks.back() == ' ') marks.pop_back();
    out += opt.indent + marks + "\n";
  }
  return out;
}

}  // namespace

std::string RenderHexdump(ByteView bytes, const HexdumpOptions& opt, const MarkFn& mark) {
  if (bytes.empty()) return opt.indent + "(no bytes)\n";
  std::uint64_t first = opt.focus.size() ? opt.focus.begin / kWidth * kWidth : 0;
  if (first >= kWidth) first -= kWidth;
  std::uint64_t end =
      opt.focus.size() ? std::min<std::uint64_t>(opt.focus.end, bytes.size()) : bytes.size();
  std::vector<std::uint64_t> lines;
  for (std::uint64_t s = first; s < end; s += kWidth) lines.push_back(s);
  std::string out;
  const std::size_t keep = std::max<std::size_t>(opt.max_lines, 2);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines.size() > keep && i == keep / 2) {
      out += opt.indent + "... (" + std::to_string(lines.size() - keep) + " lines elided)\n";
      i = lines.size() - keep / 2;
    }
    out += RenderLine(bytes, lines[i], opt, mark);
  }
  return out;
}

}  // namespace eofzero::report
