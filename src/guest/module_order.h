// Which kernel modules a guest loads, in which order (pure). An extracted
// kernel package has no modules.dep: each module's dependencies are read
// from its own .modinfo section ("depends=a,b"), and a module built into the
// kernel (modules.builtin) is never loaded.
#pragma once

#include <expected>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace eofzero::guest {

// Every module under `modules_dir` by name (module files only).
using ModuleIndex = std::map<std::string, std::filesystem::path>;

// What a guest needs: virtio disks, loop devices (the self-test's images,
// `kernels --selftest`) and every driver's modules (fsdriver/driver.h,
// GuestModules). ext4 and libcrc32c only soft-depend on crc32c, which
// nothing would load: crc32c_generic is asked for first.
const std::vector<std::string>& GuestModules();
// Those of them loaded only where the kernel has them (crc32c_generic where
// crc32c is no module of its own; loop, which only the self-test needs and
// which then says it has no loop devices; a driver's GuestOptionalModules,
// e.g. f2fs's crc32 under its name of that kernel): a kernel that lacks one
// goes on without it.
bool OptionalGuestModule(const std::string& name);

// GuestModules without the optional ones `index` and `builtin` lack.
std::vector<std::string> WantedModules(const ModuleIndex& index,
                                       const std::set<std::string>& builtin);

// A module's name from its file: "kernel/fs/ext4/ext4.ko.xz" -> "ext4";
// dashes read as underscores ("crc32c-intel" -> "crc32c_intel"), as the
// kernel names them. Empty for a file that is no module.
std::string ModuleName(std::string_view path);

// The "depends=" list of a .modinfo section (NUL-separated key=value).
std::vector<std::string> ModinfoDepends(std::string_view modinfo);

// The module names a modules.builtin file lists.
std::set<std::string> ParseBuiltin(std::string_view text);

// The modules to load for `wanted`, dependencies before their users, each
// once. `depends_of(name)` gives a module's dependencies (or why it cannot be
// read). A wanted or needed module that is neither in `index` nor built in is
// an error naming it.
std::expected<std::vector<std::string>, std::string> LoadOrder(
    const std::vector<std::string>& wanted, const ModuleIndex& index,
    const std::set<std::string>& builtin,
    const std::function<std::expected<std::vector<std::string>, std::string>(const std::string&)>&
        depends_of);

}  // namespace eofzero::guest
