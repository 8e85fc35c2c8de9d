// Whether this kernel can mount a filesystem type at all: built in or loaded
// (/proc/filesystems), or a module it loads on the first mount (listed in
// /lib/modules/RELEASE/modules.dep). A type it lacks is a SKIP that says so,
// not a mount(2) failing with ENODEV after mkfs.
#pragma once

#include <string>
#include <string_view>

namespace eofzero::os {

// Why a mount of `type` would fail here for want of the filesystem (one
// line), or empty when the kernel has it.
std::string KernelLacksFilesystem(const std::string& type);

// Pure: /proc/filesystems lists `type` ("nodev\tsysfs", "\text4").
bool ListsFilesystem(std::string_view proc_filesystems, std::string_view type);
// Pure: modules.dep has a module file named `module` ("kernel/fs/f2fs/f2fs.ko.xz: ...").
bool ListsModule(std::string_view modules_dep, std::string_view module);

}  // namespace eofzero::os
