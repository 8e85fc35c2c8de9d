#include "scratch/mkfs_command.h"

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

std::vector<std::string> MkfsArgv(FsType fs, const std::string& device, std::uint32_t block_size,
                                  const std::string& uuid, std::string_view extra_options) {
  std::vector<std::string> argv;
  const std::string bs = std::to_string(block_size);
  if (fs == FsType::kExt4) {
    argv = {"mkfs.ext4", "-F", "-q", "-b", bs, "-U", uuid, "-E", "nodiscard"};
  } else {
    argv = {"mkfs.xfs", "-f", "-q", "-K", "-b", "size=" + bs, "-m", "uuid=" + uuid};
  }
  for (auto& w : SplitWords(extra_options)) argv.push_back(std::move(w));
  argv.push_back(device);
  return argv;
}

}  // namespace eofzero::scratch
