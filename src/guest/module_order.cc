#include "guest/module_order.h"

#include <algorithm>

#include "fsdriver/registry.h"

namespace eofzero::guest {
namespace {

constexpr std::string_view kModuleSuffixes[] = {".ko", ".ko.xz", ".ko.zst", ".ko.gz"};

std::vector<std::string> SplitCommas(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const auto comma = s.find(',');
    if (auto part = s.substr(0, comma); !part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

struct Walk {
  const ModuleIndex& index;
  const std::set<std::string>& builtin;
  const std::function<std::expected<std::vector<std::string>, std::string>(const std::string&)>&
      depends_of;
  std::vector<std::string> order;
  std::set<std::string> visiting, done;

  std::expected<void, std::string> Visit(const std::string& name, const std::string& needed_by) {
    if (done.contains(name) || builtin.contains(name)) return {};
    if (visiting.contains(name)) return std::unexpected("module " + name + ": circular depends");
    if (!index.contains(name))
      return std::unexpected("module " + name +
                             (needed_by.empty() ? "" : " (needed by " + needed_by + ")") +
                             ": neither a module of this kernel nor built in");
    visiting.insert(name);
    auto deps = depends_of(name);
    if (!deps) return std::unexpected("module " + name + ": " + deps.error());
    for (const auto& d : *deps)
      if (auto ok = Visit(ModuleName(d + ".ko"), name); !ok) return ok;
    visiting.erase(name);
    done.insert(name);
    order.push_back(name);
    return {};
  }
};

}  // namespace

const std::vector<std::string>& GuestModules() {
  static const std::vector<std::string> modules = [] {
    std::vector<std::string> all = {"crc32c_generic", "virtio_pci", "virtio_blk", "loop"};
    for (fsdriver::FsType fs : fsdriver::kFsTypes) {
      if (!fsdriver::Driver(fs).InGuest()) continue;
      for (auto& m : fsdriver::Driver(fs).GuestOptionalModules()) all.push_back(std::move(m));
      for (auto& m : fsdriver::Driver(fs).GuestModules()) all.push_back(std::move(m));
    }
    return all;
  }();
  return modules;
}

bool OptionalGuestModule(const std::string& name) {
  if (name == "crc32c_generic" || name == "loop") return true;
  for (fsdriver::FsType fs : fsdriver::kFsTypes)
    if (fsdriver::Driver(fs).InGuest())
      for (const auto& m : fsdriver::Driver(fs).GuestOptionalModules())
        if (m == name) return true;
  return false;
}

std::vector<std::string> WantedModules(const ModuleIndex& index,
                                       const std::set<std::string>& builtin) {
  std::vector<std::string> wanted;
  for (const auto& name : GuestModules())
    if (index.contains(name) || builtin.contains(name) || !OptionalGuestModule(name))
      wanted.push_back(name);
  return wanted;
}

std::string ModuleName(std::string_view path) {
  if (const auto slash = path.rfind('/'); slash != std::string_view::npos)
    path.remove_prefix(slash + 1);
  for (auto suffix : kModuleSuffixes) {
    if (path.size() > suffix.size() && path.ends_with(suffix)) {
      std::string name(path.substr(0, path.size() - suffix.size()));
      std::ranges::replace(name, '-', '_');
      return name;
    }
  }
  return {};
}

std::vector<std::string> ModinfoDepends(std::string_view modinfo) {
  constexpr std::string_view kKey = "depends=";
  while (!modinfo.empty()) {
    const auto end = modinfo.find('\0');
    const auto entry = modinfo.substr(0, end);
    if (entry.starts_with(kKey)) return SplitCommas(entry.substr(kKey.size()));
    if (end == std::string_view::npos) break;
    modinfo.remove_prefix(end + 1);
  }
  return {};
}

std::set<std::string> ParseBuiltin(std::string_view text) {
  std::set<std::string> names;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    if (auto name = ModuleName(text.substr(0, nl)); !name.empty()) names.insert(name);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return names;
}

std::expected<std::vector<std::string>, std::string> LoadOrder(
    const std::vector<std::string>& wanted, const ModuleIndex& index,
    const std::set<std::string>& builtin,
    const std::function<std::expected<std::vector<std::string>, std::string>(const std::string&)>&
        depends_of) {
  Walk walk{index, builtin, depends_of, {}, {}, {}};
  for (const auto& name : wanted)
    if (auto ok = walk.Visit(name, ""); !ok) return std::unexpected(ok.error());
  return walk.order;
}

}  // namespace eofzero::guest
