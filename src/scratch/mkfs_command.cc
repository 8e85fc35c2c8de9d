#include "scratch/mkfs_command.h"

#include <charconv>

#include "scratch/user_options.h"

namespace eofzero::scratch {

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

namespace {

using BlockSizeResult = std::expected<std::optional<std::uint32_t>, std::string>;

// "4096", "4k" -> bytes.
std::optional<std::uint64_t> ParseBlockSizeValue(std::string_view text) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p == text.data()) return std::nullopt;
  std::string_view rest(p, static_cast<std::size_t>(text.data() + text.size() - p));
  if (rest == "k" || rest == "K") return v > (1ull << 40) ? std::nullopt : std::optional(v << 10);
  return rest.empty() ? std::optional(v) : std::nullopt;
}

BlockSizeResult CheckedBlockSize(std::optional<std::uint64_t> v, const std::string& shown) {
  if (!v) return std::unexpected("'" + shown + "' is not a block size this tool can read");
  if (*v < 1024 || *v > 65536 || (*v & (*v - 1)))
    return std::unexpected("'" + shown + "' is not a power of two from 1024 to 65536");
  return static_cast<std::uint32_t>(*v);
}

// xfs: the value of "-b size=N" (mkfs.xfs of xfsprogs 6 no longer takes "log=").
BlockSizeResult XfsBlockSubopts(std::string_view subopts, const std::string& shown) {
  std::optional<std::uint32_t> found;
  while (!subopts.empty()) {
    auto comma = subopts.find(',');
    std::string_view one = subopts.substr(0, comma);
    subopts = comma == std::string_view::npos ? "" : subopts.substr(comma + 1);
    if (!one.starts_with("size="))
      return std::unexpected("'" + shown + "': unknown -b suboption (size=N)");
    auto bs = CheckedBlockSize(ParseBlockSizeValue(one.substr(5)), shown);
    if (!bs) return bs;
    found = **bs;
  }
  if (!found) return std::unexpected("'" + shown + "' sets no block size");
  return found;
}

}  // namespace

BlockSizeResult MkfsBlockSize(FsType fs, std::string_view options) {
  auto parsed = ParseMkfsOptions(fs, options);
  if (!parsed) return std::unexpected(parsed.error());
  std::optional<std::uint32_t> found;
  for (const auto& option : *parsed) {
    if (option.letter != 'b') continue;
    auto bs = fs == FsType::kExt4 ? CheckedBlockSize(ParseBlockSizeValue(*option.value), option.shown)
                                  : XfsBlockSubopts(*option.value, option.shown);
    if (!bs) return bs;
    found = *bs;  // the last one wins, as in mke2fs
  }
  return found;
}

std::vector<std::string> MkfsArgv(FsType fs, const std::string& device, std::uint32_t block_size,
                                  const std::string& uuid, std::string_view extra_options) {
  std::vector<std::string> argv;
  const std::string bs = std::to_string(block_size);
  // A "-b" of the user's that cannot be read is left for mkfs to judge.
  const auto user_bs = MkfsBlockSize(fs, extra_options);
  const bool own_bs = user_bs && !user_bs->has_value();
  if (fs == FsType::kExt4) {
    argv = {"mkfs.ext4", "-F", "-q"};
    if (own_bs) argv.insert(argv.end(), {"-b", bs});
    argv.insert(argv.end(), {"-U", uuid, "-E", "nodiscard"});
  } else {
    argv = {"mkfs.xfs", "-f", "-q", "-K"};
    if (own_bs) argv.insert(argv.end(), {"-b", "size=" + bs});
    argv.insert(argv.end(), {"-m", "uuid=" + uuid});
  }
  for (auto& w : SplitWords(extra_options)) argv.push_back(std::move(w));
  argv.push_back(device);
  return argv;
}

}  // namespace eofzero::scratch
