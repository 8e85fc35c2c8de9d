#include "scratch/user_options.h"

#include <libmount/libmount.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "scratch/mkfs_command.h"

namespace eofzero::scratch {
namespace {

// getopt strings of mke2fs 1.47 and mkfs.xfs 6.x (':' = takes a value).
constexpr const char* kExt4Letters = "b:C:d:e:E:g:G:i:I:J:l:L:m:M:N:o:O:r:t:T:U:z:cjnqvDFKSV";
constexpr const char* kXfsLetters = "b:c:d:i:l:L:m:n:p:r:s:fKNqV";

struct Refused {
  FsType fs;
  char letter;
  const char* suboption;  // nullptr: the whole option
  const char* why;
};
// Options that reach beyond the scratch device. (The UUID an option may set
// is allowed: the tool checks after mkfs that the device holds its own.)
constexpr Refused kRefused[] = {
    {FsType::kExt4, 'd', nullptr, "names a directory or tarball to copy in"},
    {FsType::kExt4, 'l', nullptr, "names a bad-blocks file"},
    {FsType::kExt4, 'z', nullptr, "names an undo file to write"},
    {FsType::kExt4, 'J', "device", "names an external journal device"},
    {FsType::kExt4, 'E', "offset", "writes the filesystem at an offset of the device"},
    {FsType::kExt4, 'E', "android_sparse", "writes a sparse image file instead"},
    {FsType::kXfs, 'c', nullptr, "names a configuration file"},
    {FsType::kXfs, 'p', nullptr, "names a prototype file"},
    {FsType::kXfs, 'd', "name", "names the data device or file"},
    {FsType::kXfs, 'd', "file", "makes the data section a regular file"},
    {FsType::kXfs, 'l', "logdev", "names an external log device"},
    {FsType::kXfs, 'l', "name", "names an external log device"},
    {FsType::kXfs, 'l', "file", "makes the log a regular file"},
    {FsType::kXfs, 'r', "rtdev", "names a realtime device"},
    {FsType::kXfs, 'r', "name", "names a realtime device"},
    {FsType::kXfs, 'r', "file", "makes the realtime section a regular file"},
};

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

std::expected<std::vector<MkfsOption>, std::string> ParseMkfsOptions(FsType fs,
                                                                     std::string_view options) {
  const char* letters = fs == FsType::kExt4 ? kExt4Letters : kXfsLetters;
  const std::string tool = "mkfs." + std::string(FsTypeName(fs));
  const auto words = SplitWords(options);
  std::vector<MkfsOption> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word.size() < 2 || word[0] != '-' || word[1] == '-')
      return std::unexpected("'" + word + "' is not an option of " + tool +
                             " (it would take a stray word as its device or size)");
    for (std::size_t k = 1; k < word.size(); ++k) {
      const char* spec = word[k] == ':' ? nullptr : std::strchr(letters, word[k]);
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

std::expected<void, std::string> CheckMkfsOptions(FsType fs, std::string_view options) {
  auto parsed = ParseMkfsOptions(fs, options);
  if (!parsed) return std::unexpected(parsed.error());
  for (const auto& option : *parsed) {
    for (const auto& r : kRefused) {
      if (r.fs != fs || r.letter != option.letter) continue;
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
