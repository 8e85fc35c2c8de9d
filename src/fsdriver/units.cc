#include "fsdriver/units.h"

#include <charconv>

namespace eofzero::fsdriver {

std::vector<std::string> SplitWords(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n') {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  }
  return lines;
}

std::optional<std::uint64_t> ParseBlockSizeValue(std::string_view text) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p == text.data()) return std::nullopt;
  std::string_view rest(p, static_cast<std::size_t>(text.data() + text.size() - p));
  if (rest == "k" || rest == "K") return v > (1ull << 40) ? std::nullopt : std::optional(v << 10);
  return rest.empty() ? std::optional(v) : std::nullopt;
}

std::expected<std::uint32_t, std::string> CheckedBlockSize(std::optional<std::uint64_t> v,
                                                           const std::string& shown) {
  if (!v) return std::unexpected("'" + shown + "' is not a block size this tool can read");
  if (*v < 1024 || *v > 65536 || (*v & (*v - 1)))
    return std::unexpected("'" + shown + "' is not a power of two from 1024 to 65536");
  return static_cast<std::uint32_t>(*v);
}

std::string SizeText(std::uint64_t bytes) {
  if (bytes && bytes % (1ull << 30) == 0) return std::to_string(bytes >> 30) + "G";
  if (bytes && bytes % (1ull << 20) == 0) return std::to_string(bytes >> 20) + "M";
  if (bytes && bytes % (1ull << 10) == 0) return std::to_string(bytes >> 10) + "K";
  return std::to_string(bytes);
}

}  // namespace eofzero::fsdriver
