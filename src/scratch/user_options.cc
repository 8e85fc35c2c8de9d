#include "scratch/user_options.h"

#include <libmount/libmount.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "scratch/mkfs_command.h"

namespace eofzero::scratch {
namespace {

constexpr const char* kRefusedMountOptions[] = {
    "logdev",    "rtdev", "journal_path", "journal_dev", "usrjquota",  "grpjquota",
    "prjjquota", "loop",  "offset",       "sizelimit",   "encryption", "helper"};

// The names of the comma-separated suboptions in "size=4k,name=/x".
std::vector<std::string> SuboptionNames(std::string_view value) {
  std::vector<std::string> names;
  while (!value.empty()) {
    const auto comma = value.find(',');
    std::string_view one = value.substr(0, comma);
    names.emplace_back(one.substr(0, one.find('=')));
    value = comma == std::string_view::npos ? "" : value.substr(comma + 1);
  }
  return names;
}

}  // namespace

std::expected<std::vector<MkfsOption>, std::string> ParseMkfsOptions(fsdriver::FsType fs,
                                                                     std::string_view options) {
  const std::string letters(fsdriver::Driver(fs).MkfsLetters());
  const std::string tool = "mkfs." + std::string(fsdriver::FsTypeName(fs));
  const auto words = SplitWords(options);
  std::vector<MkfsOption> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word.size() < 2 || word[0] != '-' || word[1] == '-')
      return std::unexpected("'" + word + "' is not an option of " + tool +
                             " (it would take a stray word as its device or size)");
    for (std::size_t k = 1; k < word.size(); ++k) {
      const char* spec = word[k] == ':' ? nullptr : std::strchr(letters.c_str(), word[k]);
      if (!spec)
        return std::unexpected("'-" + std::string(1, word[k]) + "' is not an option of " + tool);
      MkfsOption option{word[k], std::nullopt, word};
      if (spec[1] == ':') {
        if (k + 1 < word.size()) {
          option.value = word.substr(k + 1);
        } else if (i + 1 < words.size()) {
          option.value = words[++i];
          option.shown += " " + *option.value;
        } else {
          return std::unexpected("'" + word + "' without a value");
        }
        out.push_back(std::move(option));
        break;
      }
      out.push_back(std::move(option));
    }
  }
  return out;
}

std::expected<void, std::string> CheckMkfsOptions(fsdriver::FsType fs, std::string_view options) {
  auto parsed = ParseMkfsOptions(fs, options);
  if (!parsed) return std::unexpected(parsed.error());
  for (const auto& option : *parsed) {
    for (const auto& r : fsdriver::Driver(fs).RefusedMkfsOptions()) {
      if (r.letter != option.letter) continue;
      if (r.suboption) {
        const auto names = SuboptionNames(option.value.value_or(""));
        if (std::find(names.begin(), names.end(), r.suboption) == names.end()) continue;
      }
      return std::unexpected("'" + option.shown + "' " + r.why +
                             ": options that reach beyond the scratch device are refused");
    }
  }
  return {};
}

std::expected<void, std::string> CheckMountOptions(std::string_view options) {
  const std::string copy(options);
  char* rest = const_cast<char*>(copy.c_str());
  char *name = nullptr, *value = nullptr;
  std::size_t name_size = 0, value_size = 0;
  int rc = 0;
  while ((rc = mnt_optstr_next_option(&rest, &name, &name_size, &value, &value_size)) == 0) {
    const std::string option(name, name_size);
    const std::string shown = option + (value ? "=" + std::string(value, value_size) : "");
    if (option.starts_with("-"))
      return std::unexpected("'" + shown + "' is not a mount option (give them without -o)");
    const bool userspace = option.starts_with("X-") || option.starts_with("x-");
    if (userspace || std::find(std::begin(kRefusedMountOptions), std::end(kRefusedMountOptions),
                               option) != std::end(kRefusedMountOptions))
      return std::unexpected("'" + shown +
                             "' names a device or file, or sets one up: options that reach "
                             "beyond the scratch device are refused");
  }
  if (rc < 0) return std::unexpected("cannot read '" + copy + "' as mount options");
  return {};
}

}  // namespace eofzero::scratch
