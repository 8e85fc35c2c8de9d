#include "cli/fstests_env.h"

#include <cstdlib>

#include "scratch/mkfs_command.h"

namespace eofzero::cli {

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

std::expected<std::string, std::string> MountOptionsFromFstests(std::string_view words) {
  const auto split = scratch::SplitWords(words);
  std::string out;
  for (std::size_t i = 0; i < split.size(); ++i) {
    std::string opts;
    if (split[i] == "-o") {
      if (i + 1 == split.size()) return std::unexpected("'-o' without options");
      opts = split[++i];
    } else if (split[i].starts_with("-o")) {
      opts = split[i].substr(2);
    } else {
      return std::unexpected("cannot honour '" + split[i] + "' (only -o OPTIONS words)");
    }
    out += (out.empty() ? "" : ",") + opts;
  }
  return out;
}

std::expected<FstestsEnv, std::string> ReadFstestsEnv(const EnvLookup& env,
                                                      const GivenFlags& given) {
  auto required = [&](const std::string& name,
                      const std::string& flag) -> std::expected<std::string, std::string> {
    auto v = env(name);
    if (!v || v->empty())
      return std::unexpected(name + ": not set (--fstests needs it, or give " + flag + ")");
    return *v;
  };
  FstestsEnv out;
  if (!given.fs) {
    auto fstyp = required("FSTYP", "--fs");
    if (!fstyp) return std::unexpected(fstyp.error());
    out.fs = fsdriver::ParseFsType(*fstyp);
    if (!out.fs)
      return std::unexpected("FSTYP: '" + *fstyp +
                             "' is not a filesystem eofzero tests (" +
                             fsdriver::FsTypeChoices() + ")");
  }
  if (!given.scratch_dev) {
    auto dev = required("SCRATCH_DEV", "--scratch-dev");
    if (!dev) return std::unexpected(dev.error());
    out.scratch_dev = *dev;
    const auto external = env("USE_EXTERNAL");
    for (const char* var : {"SCRATCH_LOGDEV", "SCRATCH_RTDEV"}) {
      const auto extra = env(var);
      if (external == "yes" && extra && !extra->empty())
        return std::unexpected(std::string(var) +
                               ": external log and realtime devices are not supported");
    }
  }
  if (!given.scratch_mnt) {
    auto mnt = required("SCRATCH_MNT", "--scratch-mnt");
    if (!mnt) return std::unexpected(mnt.error());
    out.scratch_mnt = *mnt;
  }
  if (!given.mkfs_options) out.mkfs_options = env("MKFS_OPTIONS").value_or("");
  if (!given.mount_options) {
    auto mount = MountOptionsFromFstests(env("MOUNT_OPTIONS").value_or(""));
    if (!mount) return std::unexpected("MOUNT_OPTIONS: " + mount.error());
    out.mount_options = *mount;
  }
  return out;
}

}  // namespace eofzero::cli
