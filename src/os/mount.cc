#include "os/mount.h"

#include <libmount/libmount.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <memory>


namespace eofzero::os {
namespace {

struct ContextFree {
  void operator()(libmnt_context* c) const { mnt_free_context(c); }
};
using Context = std::unique_ptr<libmnt_context, ContextFree>;
struct TableFree {
  void operator()(libmnt_table* t) const { mnt_unref_table(t); }
};
struct IterFree {
  void operator()(libmnt_iter* i) const { mnt_free_iter(i); }
};

}  // namespace

Result<std::vector<MountEntry>> ReadMountTable(const std::string& mountinfo) {
  std::unique_ptr<libmnt_table, TableFree> table(mnt_new_table());
  std::unique_ptr<libmnt_iter, IterFree> iter(mnt_new_iter(MNT_ITER_FORWARD));
  if (!table || !iter) return Fail(ErrorKind::kSystem, "libmount: out of memory");
  if (int rc = mnt_table_parse_file(table.get(), mountinfo.c_str()); rc != 0)
    return FailErrno("parse " + mountinfo, rc < 0 ? -rc : EINVAL);
  std::vector<MountEntry> out;
  libmnt_fs* fs = nullptr;
  while (mnt_table_next_fs(table.get(), iter.get(), &fs) == 0) {
    auto text = [](const char* s) { return std::string(s ? s : ""); };
    const int id = mnt_fs_get_id(fs);
    out.push_back({static_cast<std::uint64_t>(mnt_fs_get_devno(fs)), text(mnt_fs_get_source(fs)),
                   text(mnt_fs_get_target(fs)), text(mnt_fs_get_fstype(fs)),
                   static_cast<std::uint64_t>(id < 0 ? 0 : id)});
  }
  return out;
}

Result<std::optional<MountEntry>> TopMountAt(const std::string& target) {
  EOFZERO_ASSIGN_OR_RETURN(auto table, ReadMountTable());
  std::optional<MountEntry> top;
  for (auto& m : table)
    if (m.target == target) top = std::move(m);
  return top;
}

Status MountFilesystem(const std::string& source, const std::string& target,
                       const std::string& fstype, const std::string& options) {
  Context cxt(mnt_new_context());
  if (!cxt) return Fail(ErrorKind::kSystem, "mnt_new_context");
  // Do not consult or update fstab/utab: this is a private scratch mount.
  mnt_context_disable_helpers(cxt.get(), 1);
  mnt_context_disable_mtab(cxt.get(), 1);
  mnt_context_set_source(cxt.get(), source.c_str());
  mnt_context_set_target(cxt.get(), target.c_str());
  mnt_context_set_fstype(cxt.get(), fstype.c_str());
  if (!options.empty()) mnt_context_set_options(cxt.get(), options.c_str());
  int rc = mnt_context_mount(cxt.get());
  std::string what = "mount -t " + fstype + (options.empty() ? "" : " -o " + options) + " " +
                     source + " " + target;
  if (rc != 0) {
    if (mnt_context_syscall_called(cxt.get()))
      return FailErrno(what, mnt_context_get_syscall_errno(cxt.get()));
    return Fail(ErrorKind::kSystem, what + ": libmount error " + std::to_string(rc));
  }
  return {};
}

Status UnmountFilesystem(const std::string& target, bool lazy_if_busy) {
  if (::umount2(target.c_str(), UMOUNT_NOFOLLOW) == 0) return {};
  const int err = errno;
  if (lazy_if_busy && ::umount2(target.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW) == 0) return {};
  return FailErrno("umount " + target, err);
}

Result<Mount> Mount::Create(const std::string& source, const std::string& target,
                            const std::string& fstype, const std::string& options) {
  EOFZERO_RETURN_IF_ERROR(MountFilesystem(source, target, fstype, options));
  return Mount(target);
}

Status Mount::Unmount() {
  if (target_.empty()) return {};
  EOFZERO_RETURN_IF_ERROR(UnmountFilesystem(target_, false));
  target_.clear();
  return {};
}

Mount::~Mount() {
  // Lazily as a last resort, so a failing run never leaves its mount behind.
  if (!target_.empty()) (void)UnmountFilesystem(target_, true);
}

}  // namespace eofzero::os
