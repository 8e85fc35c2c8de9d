// Which kernels `eofzero kernels` boots (pure): a Debian suite (its current
// kernel), a Debian kernel package (optionally from one suite), a .deb file,
// or a kernel of your own build (a bzImage and its modules folder); and which
// slice of them a shard runs.
#pragma once

#include <cstddef>
#include <expected>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace eofzero::guest {

struct KernelSpec {
  enum class Kind {
    kSuite,    // "trixie", "trixie-backports": the suite's linux-image-amd64, resolved by apt
    kPackage,  // "linux-image-6.1.0-37-amd64", "sid/linux-image-…", or "6.1.0-37-amd64"
    kDebFile,  // "./linux-image-….deb"
    kBuild,    // "PATH/bzImage[:MODULES_DIR]": your own build
  };
  Kind kind = Kind::kSuite;
  std::string text;            // as given: the kernel's name in the report until the guest names it
  std::string suite;           // kSuite; kPackage when given ("sid/…"), else empty: every suite
  std::string package;         // kPackage
  std::filesystem::path file;  // kDebFile: the .deb; kBuild: the bzImage
  std::filesystem::path modules_dir;  // kBuild: lib/modules/VERSION (may be empty)
};

// The Debian suites a kernel is looked up in, in the order a package without
// a suite is looked for.
const std::vector<std::string>& KnownSuites();

// One --kernel word. Errors are one line naming the word.
std::expected<KernelSpec, std::string> ParseKernelSpec(std::string_view text);

// The --kernel values, each a comma-separated list, in order. Errors are one
// line: a word that is no kernel, an empty item ("--kernel trixie,,sid"), or
// the same kernel twice (by its words, or by its package or file under two
// spellings: "6.1.0-37-amd64" is "linux-image-6.1.0-37-amd64").
std::expected<std::vector<KernelSpec>, std::string> ParseKernelList(
    const std::vector<std::string>& values);

// --shard K/M: the K-th (1-based) of M slices.
struct Shard {
  std::size_t index = 1, count = 1;
};
std::expected<Shard, std::string> ParseShard(std::string_view text);

// The items of the K-th slice: a run of consecutive items, so the slices
// 1/M … M/M, one after another, are every item exactly once, in order (a
// slice may be empty when there are fewer items than slices).
template <typename T>
std::vector<T> ShardSlice(const std::vector<T>& items, const Shard& shard) {
  const std::size_t n = items.size();
  const auto first =
      items.begin() + static_cast<std::ptrdiff_t>((shard.index - 1) * n / shard.count);
  const auto last = items.begin() + static_cast<std::ptrdiff_t>(shard.index * n / shard.count);
  return std::vector<T>(first, last);
}

}  // namespace eofzero::guest
