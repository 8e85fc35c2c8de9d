#include "fsdriver/ext4_features.h"

#include "fsdriver/units.h"

namespace eofzero::fsdriver {

std::optional<std::vector<std::string>> ParseExt4Features(std::string_view output) {
  constexpr std::string_view kKey = "Filesystem features:";
  for (std::size_t pos = 0; pos < output.size();) {
    std::size_t end = output.find('\n', pos);
    if (end == std::string_view::npos) end = output.size();
    std::string_view line = output.substr(pos, end - pos);
    if (line.starts_with(kKey)) {
      auto words = SplitWords(line.substr(kKey.size()));
      if (words.size() == 1 && words[0] == "(none)") words.clear();
      return words;
    }
    pos = end + 1;
  }
  return std::nullopt;
}

}  // namespace eofzero::fsdriver
