#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "cli/options.h"
#include "cli/validate.h"
#include "fsdriver/registry.h"
#include "scratch/fs_limits.h"

namespace eofzero::cli {

std::expected<std::uint32_t, std::string> ParseU32(const std::string& option,
                                                   const std::string& text) {
  std::uint32_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc::result_out_of_range && p == text.data() + text.size())
    return std::unexpected(option + ": " + text + " is out of range (0 to 4294967295)");
  if (ec != std::errc() || p != text.data() + text.size() || text.empty())
    return std::unexpected(option + ": '" + text + "' is not a whole number");
  return v;
}

std::expected<void, std::string> ValidateFilesystems(const RawOptions& raw, suite::RunOptions& o) {
  o.filesystems.clear();
  for (const auto& name : raw.fs) {
    auto fs = fsdriver::ParseFsType(name);
    if (!fs) return std::unexpected("--fs: unknown filesystem '" + name + "' (" +
                             fsdriver::FsTypeChoices() + ")");
    // Each filesystem is one column of the table: running one twice would
    // count its cases twice under one column.
    if (std::find(o.filesystems.begin(), o.filesystems.end(), *fs) != o.filesystems.end())
      return std::unexpected("--fs: " + name + " given twice");
    o.filesystems.push_back(*fs);
  }
  if (o.filesystems.empty()) return std::unexpected("--fs: no filesystem given");
  return {};
}

std::expected<void, std::string> ValidateCaseOptions(const RawOptions& raw, suite::RunOptions& o) {
  o.cases = raw.cases;
  for (const auto& dir : raw.cases_dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
      return std::unexpected("--cases-dir: " + dir + " is not a directory");
    o.cases_dirs.emplace_back(dir);
  }
  return {};
}

std::expected<void, std::string> ValidateBlockSize(const RawOptions& raw, suite::RunOptions& o) {
  auto bs = ParseU32("--block-size", raw.block_size);
  if (!bs) return std::unexpected(bs.error());
  if (*bs < 1024 || *bs > 65536 || (*bs & (*bs - 1)))
    return std::unexpected("--block-size: " + raw.block_size +
                           " is not a power of two from 1024 to 65536");
  o.block_size = *bs;
  return {};
}

std::expected<void, std::string> ValidateImageSize(const RawOptions& raw, suite::RunOptions& o) {
  if (raw.image_size.empty()) return {};
  auto size = ParseSize(raw.image_size);
  if (!size || *size == 0)
    return std::unexpected("--image-size: '" + raw.image_size + "' is not a size (e.g. 512M, 1G)");
  // What each filesystem needs at the run's block size (a case that asks
  // for another is checked with the cases: cli::PreflightCases).
  for (auto fs : o.filesystems)
    if (*size < fsdriver::Driver(fs).MinImageBytes(o.block_size))
      return std::unexpected("--image-size: " + raw.image_size +
                             " is too small: " + fsdriver::Driver(fs).MinImageText(o.block_size));
  o.image_bytes = *size;
  return {};
}

std::expected<void, std::string> ValidateWorkdir(const RawOptions& raw, suite::RunOptions& o) {
  const char* tmp = std::getenv("TMPDIR");
  o.workdir = !raw.workdir.empty() ? raw.workdir : (tmp && *tmp ? tmp : "/var/tmp");
  std::error_code ec;
  if (!std::filesystem::is_directory(o.workdir, ec))
    return std::unexpected("--workdir: " + o.workdir.string() + " is not a directory");
  return {};
}

void CopyConfigOptions(const RawOptions& raw, suite::RunOptions& o) {
  o.config_name = raw.config_name;
  o.worker = raw.worker;
  o.mkfs_options = raw.mkfs_options;
  o.probe_case = raw.probe_case;
  o.mount_options = raw.mount_options;
  o.keep = raw.keep;
  o.verbosity = raw.verbose - raw.quiet;
}

}  // namespace eofzero::cli
