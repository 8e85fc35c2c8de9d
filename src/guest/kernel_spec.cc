#include "guest/kernel_spec.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace eofzero::guest {
namespace {

bool PackageNameChars(std::string_view s) {
  return !s.empty() && std::ranges::all_of(s, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '+' ||
           c == '~' || c == '_';
  });
}

bool IsSuite(std::string_view s) {
  return std::ranges::find(KnownSuites(), s) != KnownSuites().end();
}

std::expected<std::size_t, std::string> Positive(std::string_view s) {
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size() || n == 0)
    return std::unexpected(std::string(s) + " is not a positive number");
  return n;
}

// What makes two specs the same kernel: the kind, suite and package, or the
// file as written once `.` and `..` are resolved.
std::string Normal(const std::filesystem::path& path) {
  auto normal = path.lexically_normal();
  if (!normal.has_filename() && normal != normal.root_path()) normal = normal.parent_path();
  return normal.string();
}

std::string Identity(const KernelSpec& spec) {
  return std::to_string(static_cast<int>(spec.kind)) + '\0' + spec.suite + '\0' + spec.package +
         '\0' + Normal(spec.file) + '\0' + Normal(spec.modules_dir);
}

}  // namespace

const std::vector<std::string>& KnownSuites() {
  static const std::vector<std::string> suites = {"bookworm", "trixie", "sid", "bookworm-backports",
                                                  "trixie-backports"};
  return suites;
}

std::expected<KernelSpec, std::string> ParseKernelSpec(std::string_view text) {
  KernelSpec spec;
  spec.text = std::string(text);
  const auto bad = [&](const std::string& why) {
    return std::unexpected("--kernel " + std::string(text) + ": " + why);
  };
  if (text.empty()) return bad("empty");
  if (IsSuite(text)) {
    spec.kind = KernelSpec::Kind::kSuite;
    spec.suite = std::string(text);
    return spec;
  }
  if (text.ends_with(".deb")) {
    spec.kind = KernelSpec::Kind::kDebFile;
    spec.file = std::string(text);
    return spec;
  }
  if (text.find('/') != std::string_view::npos && !IsSuite(text.substr(0, text.find('/')))) {
    spec.kind = KernelSpec::Kind::kBuild;
    const auto colon = text.find(':');
    spec.file = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) {
      spec.modules_dir = std::string(text.substr(colon + 1));
      if (spec.modules_dir.empty()) return bad("no modules folder after ':'");
    }
    return spec;
  }
  std::string_view name = text;
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    spec.suite = std::string(text.substr(0, slash));
    name = text.substr(slash + 1);
  }
  spec.kind = KernelSpec::Kind::kPackage;
  spec.package = !name.empty() && std::isdigit(static_cast<unsigned char>(name[0]))
                     ? "linux-image-" + std::string(name)
                     : std::string(name);
  if (!PackageNameChars(name) || !spec.package.starts_with("linux-image-"))
    return bad(
        "not a suite (bookworm, trixie, sid, bookworm-backports, trixie-backports), "
        "a kernel package (linux-image-...), a .deb or a path to a bzImage");
  return spec;
}

std::expected<std::vector<KernelSpec>, std::string> ParseKernelList(
    const std::vector<std::string>& values) {
  std::vector<KernelSpec> specs;
  for (const auto& value : values) {
    std::size_t from = 0;
    while (true) {
      const auto comma = value.find(',', from);
      const std::string word =
          value.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
      if (word.empty()) return std::unexpected("--kernel: an empty item in '" + value + "'");
      auto spec = ParseKernelSpec(word);
      if (!spec) return std::unexpected(spec.error());
      for (const auto& earlier : specs)
        if (Identity(earlier) == Identity(*spec))
          return std::unexpected(earlier.text == spec->text
                                     ? "--kernel: " + word + " given twice"
                                     : "--kernel: " + word + " is " + earlier.text + " again");
      specs.push_back(std::move(*spec));
      if (comma == std::string::npos) break;
      from = comma + 1;
    }
  }
  return specs;
}

std::expected<Shard, std::string> ParseShard(std::string_view text) {
  const auto bad = [&](const std::string& why) {
    return std::unexpected("--shard " + std::string(text) + ": " + why);
  };
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) return bad("not K/M");
  auto k = Positive(text.substr(0, slash));
  if (!k) return bad(k.error());
  auto m = Positive(text.substr(slash + 1));
  if (!m) return bad(m.error());
  if (*k > *m) return bad("K is more than M");
  return Shard{*k, *m};
}

}  // namespace eofzero::guest
