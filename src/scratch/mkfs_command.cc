#include "scratch/mkfs_command.h"

#include "scratch/user_options.h"

namespace eofzero::scratch {

using BlockSizeResult = std::expected<std::optional<std::uint32_t>, std::string>;

BlockSizeResult MkfsBlockSize(fsdriver::FsType fs, std::string_view options) {
  auto parsed = ParseMkfsOptions(fs, options);
  if (!parsed) return std::unexpected(parsed.error());
  std::optional<std::uint32_t> found;
  for (const auto& option : *parsed) {
    if (option.letter != fsdriver::Driver(fs).BlockSizeLetter()) continue;
    auto bs = fsdriver::Driver(fs).BlockSizeOption(*option.value, option.shown);
    if (!bs) return std::unexpected(bs.error());
    found = *bs;  // the last one wins, as in mke2fs
  }
  return found;
}

std::vector<std::string> MkfsArgv(fsdriver::FsType fs, const std::string& device, std::uint32_t block_size,
                                  const std::string& uuid, std::string_view extra_options) {
  // A "-b" of the user's that cannot be read is left for mkfs to judge.
  const auto user_bs = MkfsBlockSize(fs, extra_options);
  const bool own_bs = user_bs && !user_bs->has_value();
  std::vector<std::string> argv =
      fsdriver::Driver(fs).MkfsCommand(own_bs ? std::optional(block_size) : std::nullopt, uuid);
  for (auto& w : SplitWords(extra_options)) argv.push_back(std::move(w));
  argv.push_back(device);
  return argv;
}

}  // namespace eofzero::scratch
