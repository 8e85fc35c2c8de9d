#include "fake_system.h"

#include <fcntl.h>

#include <algorithm>

#include "os/file_ops.h"

namespace eofzero::test {

using os::ErrorKind;
using os::Fail;
using os::Status;

namespace {

std::string Range(std::uint64_t offset, std::uint64_t length) {
  return std::to_string(offset) + "+" + std::to_string(length);
}

}  // namespace

FakeSystem::FakeSystem(std::string device, std::string mount_dir, std::uint32_t block_size,
                       std::string fstype, std::string uuid)
    : device_(std::move(device)),
      mount_dir_(std::move(mount_dir)),
      fstype_(std::move(fstype)),
      uuid_(std::move(uuid)),
      bs_(block_size) {}

std::vector<std::string> FakeSystem::CallNames() const {
  std::vector<std::string> names;
  for (const auto& c : calls) names.push_back(c.substr(0, c.find(' ')));
  return names;
}

Status FakeSystem::Call(const std::string& name, const std::string& detail) {
  calls.push_back(detail.empty() ? name : name + " " + detail);
  if (auto it = failures_.find(name); it != failures_.end()) {
    const int errnum = it->second;
    failures_.erase(it);
    return os::FailErrno("fake " + name, errnum);
  }
  return {};
}

std::string FakeSystem::Name(const std::string& path) const {
  return path.starts_with(mount_dir_ + "/") ? path.substr(mount_dir_.size() + 1) : path;
}

os::Result<FakeSystem::File*> FakeSystem::FileOf(int fd, const std::string& call) {
  auto it = fds_.find(fd);
  if (it == fds_.end()) return Fail(ErrorKind::kInvalid, call + ": bad descriptor");
  if (shut_down_) return os::FailErrno(call + " " + Name(it->second.path), EIO);
  return &files_.at(it->second.path);
}

Bytes FakeSystem::OnDisk(const File& f, std::uint64_t block) const {
  auto it = f.on_disk.find(block);
  if (it == f.on_disk.end() || f.unwritten.contains(block)) return Bytes(bs_, 0);
  return DeviceBytes(it->second, bs_);
}

Bytes FakeSystem::BlockNow(const File& f, std::uint64_t block) const {
  auto it = f.cache.find(block);
  return it != f.cache.end() ? it->second : OnDisk(f, block);
}

Bytes& FakeSystem::Cached(File& f, std::uint64_t block) {
  auto it = f.cache.find(block);
  if (it == f.cache.end()) it = f.cache.emplace(block, OnDisk(f, block)).first;
  return it->second;
}

void FakeSystem::Store(File& f, std::uint64_t offset, ByteView data) {
  for (std::uint64_t done = 0; done < data.size();) {
    const std::uint64_t at = offset + done, block = at / bs_, in = at % bs_;
    const std::uint64_t n = std::min<std::uint64_t>(bs_ - in, data.size() - done);
    Bytes& b = Cached(f, block);
    std::copy_n(data.begin() + static_cast<long>(done), n, b.begin() + static_cast<long>(in));
    f.dirty.insert(block);
    done += n;
  }
}

void FakeSystem::Grow(File& f, std::uint64_t new_size) {
  if (new_size <= f.size) return;
  if (f.size % bs_) {  // the rest of the old EOF block is zeroed in memory
    const std::uint64_t block = f.size / bs_;
    Bytes& b = Cached(f, block);
    std::fill(b.begin() + static_cast<long>(f.size % bs_), b.end(), 0);
    if (!zero_gap_in_memory_only) f.dirty.insert(block);
  }
  f.size = new_size;
}

std::uint64_t FakeSystem::Allocate() {
  const std::uint64_t at = next_block_;
  next_block_ += bs_;
  return at;
}

void FakeSystem::WriteBack(File& f, std::uint64_t first_block, std::uint64_t end_block) {
  for (auto it = f.dirty.begin(); it != f.dirty.end();) {
    const std::uint64_t block = *it;
    if (block < first_block || block >= end_block) {
      ++it;
      continue;
    }
    if (!f.on_disk.contains(block)) f.on_disk[block] = Allocate();
    disk_[f.on_disk[block]] = f.cache.at(block);
    f.unwritten.erase(block);
    it = f.dirty.erase(it);
  }
}

Bytes FakeSystem::DeviceBytes(std::uint64_t offset, std::uint64_t length) const {
  Bytes out(length, 0);
  for (std::uint64_t done = 0; done < length;) {
    const std::uint64_t at = offset + done, base = at / bs_ * bs_, in = at - base;
    const std::uint64_t n = std::min<std::uint64_t>(bs_ - in, length - done);
    if (auto it = disk_.find(base); it != disk_.end())
      std::copy_n(it->second.begin() + static_cast<long>(in), n,
                  out.begin() + static_cast<long>(done));
    done += n;
  }
  return out;
}

os::Result<int> FakeSystem::Open(const std::string& path, int flags, unsigned) {
  EOFZERO_RETURN_IF_ERROR(Call("open", Name(path)));
  if (!mounted_) return os::FailErrno("open " + path, ENOENT);
  if (shut_down_) return os::FailErrno("open " + path, EIO);
  auto it = files_.find(path);
  if (it == files_.end()) {
    if (!(flags & O_CREAT)) return os::FailErrno("open " + path, ENOENT);
    it = files_.emplace(path, File{}).first;
    it->second.ino = next_ino_++;
  }
  fds_[next_fd_] = {path, flags};
  return next_fd_++;
}

void FakeSystem::Close(int fd) {
  calls.push_back("close " + (fds_.contains(fd) ? Name(fds_[fd].path) : "?"));
  fds_.erase(fd);
}

os::Result<os::FileStat> FakeSystem::Stat(int fd, const std::string&) {
  std::lock_guard lock(mu_);
  EOFZERO_ASSIGN_OR_RETURN(File * f, FileOf(fd, "stat"));
  return os::FileStat{f->size, f->ino, bs_, 512, 512};
}

Status FakeSystem::Write(int fd, ByteView data, std::uint64_t offset, const os::WriteHow& how,
                         const std::string&) {
  std::lock_guard lock(mu_);
  EOFZERO_ASSIGN_OR_RETURN(File * f, FileOf(fd, "pwrite"));
  if (how.append || (how.rwf_flags & os::RwfFlag(os::Rwf::kAppend))) offset = f->size;
  EOFZERO_RETURN_IF_ERROR(Call("pwrite", Name(fds_[fd].path) + " " + Range(offset, data.size())));
  Grow(*f, offset + data.size());
  Store(*f, offset, data);
  if (how.alignment)  // O_DIRECT
    WriteBack(*f, offset / bs_, (offset + data.size() + bs_ - 1) / bs_);
  return {};
}

os::Result<Bytes> FakeSystem::Read(int fd, std::uint64_t offset, std::uint64_t length,
                                   const std::string&) {
  std::lock_guard lock(mu_);
  EOFZERO_ASSIGN_OR_RETURN(File * f, FileOf(fd, "pread"));
  EOFZERO_RETURN_IF_ERROR(Call("pread", Name(fds_[fd].path) + " " + Range(offset, length)));
  return FileBytes(*f, offset, length);
}

Status FakeSystem::Truncate(int fd, std::uint64_t size, const std::string&) {
  EOFZERO_ASSIGN_OR_RETURN(File * f, FileOf(fd, "truncate"));
  EOFZERO_RETURN_IF_ERROR(Call("truncate", Name(fds_[fd].path) + " " + std::to_string(size)));
  if (size >= f->size) {
    Grow(*f, size);
    return {};
  }
  const std::uint64_t keep = (size + bs_ - 1) / bs_;
  std::erase_if(f->on_disk, [&](const auto& e) { return e.first >= keep; });
  std::erase_if(f->cache, [&](const auto& e) { return e.first >= keep; });
  std::erase_if(f->dirty, [&](std::uint64_t b) { return b >= keep; });
  if (size % bs_) {
    Bytes& b = Cached(*f, size / bs_);
    std::fill(b.begin() + static_cast<long>(size % bs_), b.end(), 0);
    f->dirty.insert(size / bs_);
  }
  f->size = size;
  return {};
}

Status FakeSystem::Fallocate(int fd, int mode, std::uint64_t offset, std::uint64_t length,
                             const std::string&) {
  std::lock_guard lock(mu_);
  EOFZERO_ASSIGN_OR_RETURN(File * f, FileOf(fd, "fallocate"));
  EOFZERO_RETURN_IF_ERROR(Call("fallocate", Name(fds_[fd].path) + " mode " + std::to_string(mode) +
                                                " " + Range(offset, length)));
  const auto modes = os::FallocFlags();
  const std::uint64_t first = offset / bs_, end = (offset + length + bs_ - 1) / bs_;
  if (mode & (modes.collapse_range | modes.insert_range)) {  // the bytes move, as the kernel's
    const bool collapse = mode & modes.collapse_range;
    if (offset % bs_ || length % bs_ || (collapse ? offset + length >= f->size : offset >= f->size))
      return os::FailErrno("fallocate " + Range(offset, length), EINVAL);
    Bytes all = FileBytes(*f, 0, f->size);
    if (collapse)
      all.erase(all.begin() + static_cast<long>(offset),
                all.begin() + static_cast<long>(offset + length));
    else
      all.insert(all.begin() + static_cast<long>(offset), length, 0);
    Grow(*f, all.size());
    Store(*f, 0, all);
    f->size = all.size();
    return {};
  }
  if (mode & modes.punch_hole) {
    Store(*f, offset, Bytes(length, 0));
    return {};
  }
  if (mode & modes.zero_range) {
    if (!(mode & modes.keep_size)) Grow(*f, offset + length);
    Store(*f, offset, Bytes(length, 0));
    return {};
  }
  for (std::uint64_t b = first; b < end; ++b)
    if (!f->on_disk.contains(b)) {
      f->on_disk[b] = Allocate();
      f->unwritten.insert(b);
    }
  if (!(mode & modes.keep_size)) Grow(*f, offset + length);
  return {};
}

Status FakeSystem::Flush(int fd, os::FlushCall call, const std::string&) {
  EOFZERO_ASSIGN_OR_RETURN(File * f, FileOf(fd, "flush"));
  const char* name = call == os::FlushCall::kFsync       ? "fsync"
                     : call == os::FlushCall::kFdatasync ? "fdatasync"
                                                         : "syncfs";
  EOFZERO_RETURN_IF_ERROR(Call(name, Name(fds_[fd].path)));
  if (call == os::FlushCall::kSyncfs) {
    SyncAll();
    calls.pop_back();
    return {};
  }
  WriteBack(*f, 0, UINT64_MAX);
  f->durable_size = f->size;
  return {};
}

void FakeSystem::SyncAll() {
  calls.push_back("sync");
  if (shut_down_) return;
  for (auto& [path, f] : files_) {
    WriteBack(f, 0, UINT64_MAX);
    f.durable_size = f.size;
  }
}

Status FakeSystem::SyncRange(int fd, std::uint64_t offset, std::uint64_t length, bool, bool write,
                             bool, const std::string&) {
  std::lock_guard lock(mu_);
  EOFZERO_ASSIGN_OR_RETURN(File * f, FileOf(fd, "sync_range"));
  EOFZERO_RETURN_IF_ERROR(Call("sync_range", Name(fds_[fd].path) + " " + Range(offset, length)));
  if (write) WriteBack(*f, offset / bs_, (offset + length + bs_ - 1) / bs_);
  return {};
}

Bytes FakeSystem::FileBytes(const File& f, std::uint64_t offset, std::uint64_t length) const {
  Bytes out;
  for (std::uint64_t at = offset; at < std::min(offset + length, f.size); ++at)
    out.push_back(BlockNow(f, at / bs_)[at % bs_]);
  return out;
}

Status FakeSystem::Copy(const std::string& call, int in_fd, std::uint64_t in_offset, int out_fd,
                        std::uint64_t out_offset, std::uint64_t length) {
  EOFZERO_ASSIGN_OR_RETURN(File * in, FileOf(in_fd, call));
  EOFZERO_ASSIGN_OR_RETURN(File * out, FileOf(out_fd, call));
  EOFZERO_RETURN_IF_ERROR(Call(call, Name(fds_[out_fd].path) + " " + Range(out_offset, length)));
  const Bytes data = FileBytes(*in, in_offset, length);
  Grow(*out, out_offset + data.size());
  Store(*out, out_offset, data);
  return {};
}

Status FakeSystem::CopyRange(int in_fd, std::uint64_t in_offset, int out_fd,
                             std::uint64_t out_offset, std::uint64_t length, const std::string&) {
  return Copy("copy_range", in_fd, in_offset, out_fd, out_offset, length);
}

Status FakeSystem::CloneRange(int src_fd, std::uint64_t src_offset, int dst_fd,
                              std::uint64_t dst_offset, std::uint64_t length, const std::string&) {
  return Copy("reflink", src_fd, src_offset, dst_fd, dst_offset, length);
}

Status FakeSystem::DropCachedPages(int fd, const std::string&) {
  std::lock_guard lock(mu_);
  EOFZERO_ASSIGN_OR_RETURN(File * f, FileOf(fd, "fadvise"));
  EOFZERO_RETURN_IF_ERROR(Call("fadvise", Name(fds_[fd].path)));
  std::erase_if(f->cache, [&](const auto& e) { return !f->dirty.contains(e.first); });
  return {};
}

Status FakeSystem::MakeDirectory(const std::string& path) {
  EOFZERO_RETURN_IF_ERROR(Call("mkdir", Name(path)));
  File dir;
  dir.ino = next_ino_++;
  dir.directory = true;
  files_[path] = dir;
  return {};
}

os::Result<std::vector<os::Extent>> FakeSystem::MapExtents(int fd, std::uint64_t start,
                                                           std::uint64_t length,
                                                           os::FiemapSync sync,
                                                           const std::string&) {
  EOFZERO_ASSIGN_OR_RETURN(File * f, FileOf(fd, "fiemap"));
  EOFZERO_RETURN_IF_ERROR(Call("fiemap", Name(fds_[fd].path) + " " + Range(start, length)));
  if (sync == os::FiemapSync::kYes) WriteBack(*f, 0, UINT64_MAX);
  std::vector<os::Extent> out;
  const std::uint64_t last = f->size ? (f->size - 1) / bs_ : 0;
  for (std::uint64_t b = start / bs_; b < (start + length + bs_ - 1) / bs_; ++b) {
    std::uint32_t flags = b == last ? os::extent_flag::kLast : 0;
    if (f->on_disk.contains(b)) {
      if (f->unwritten.contains(b)) flags |= os::extent_flag::kUnwritten;
      out.push_back({b * bs_, f->on_disk.at(b), bs_, flags});
    } else if (f->dirty.contains(b)) {
      out.push_back(
          {b * bs_, 0, bs_, flags | os::extent_flag::kDelalloc | os::extent_flag::kUnknown});
    }
  }
  return out;
}

os::Result<bool> FakeSystem::IsRealtimeFile(int fd, const std::string&) {
  EOFZERO_RETURN_IF_ERROR(FileOf(fd, "realtime"));
  return false;
}

os::Result<Bytes> FakeSystem::ReadThroughMmap(int fd, std::uint64_t page_offset,
                                              std::uint64_t length, const std::string&) {
  EOFZERO_ASSIGN_OR_RETURN(File * f, FileOf(fd, "mmap-read"));
  EOFZERO_RETURN_IF_ERROR(
      Call("mmap-read", Name(fds_[fd].path) + " " + Range(page_offset, length)));
  Bytes out;
  for (std::uint64_t at = page_offset; at < page_offset + length; ++at)
    out.push_back(BlockNow(*f, at / bs_)[at % bs_]);
  return out;
}

os::Result<os::DirectReadResult> FakeSystem::ReadDirect(const std::string& path,
                                                        std::uint64_t offset, std::uint64_t length,
                                                        std::uint32_t) {
  std::lock_guard lock(mu_);
  EOFZERO_RETURN_IF_ERROR(Call("direct-read", Name(path) + " " + Range(offset, length)));
  if (shut_down_) return os::FailErrno("O_DIRECT read " + path, EIO);
  File& f = files_.at(path);
  WriteBack(f, offset / bs_, (offset + length + bs_ - 1) / bs_);  // as the kernel does first
  os::DirectReadResult r;
  for (std::uint64_t b = offset / bs_; b < (offset + length + bs_ - 1) / bs_; ++b) {
    const Bytes block = OnDisk(f, b);
    r.buffer.insert(r.buffer.end(), block.begin(), block.end());
  }
  // A sector inside a block: the blocks that cover it, cut to it.
  r.buffer.erase(r.buffer.begin(), r.buffer.begin() + static_cast<long>(offset % bs_));
  r.buffer.resize(length);
  r.count = f.size > offset ? std::min(length, f.size - offset) : 0;
  return r;
}

os::Result<int> FakeSystem::MapShared(int fd, std::uint64_t page_offset, std::uint64_t length,
                                      const std::string&) {
  EOFZERO_RETURN_IF_ERROR(FileOf(fd, "mmap"));
  EOFZERO_RETURN_IF_ERROR(Call("mmap", Name(fds_[fd].path) + " " + Range(page_offset, length)));
  maps_[next_map_] = {fds_[fd].path, page_offset, length};
  return next_map_++;
}

Status FakeSystem::FillMapping(int id, std::uint64_t offset, std::uint64_t length,
                               std::uint8_t byte) {
  std::lock_guard lock(mu_);
  EOFZERO_RETURN_IF_ERROR(Call("mwrite", Range(offset, length)));
  const Mapping& m = maps_.at(id);
  if (offset < m.offset || offset + length > m.offset + m.length)
    return Fail(ErrorKind::kInvalid, "mwrite outside the mapping");
  Store(files_.at(m.path), offset, Bytes(length, byte));  // past EOF too: the page is shared
  return {};
}

Status FakeSystem::SyncMapping(int id, bool, bool, bool) {
  std::lock_guard lock(mu_);
  EOFZERO_RETURN_IF_ERROR(Call("msync", ""));
  WriteBack(files_.at(maps_.at(id).path), 0, UINT64_MAX);
  return {};
}

void FakeSystem::Unmap(int id) {
  calls.push_back("munmap");
  maps_.erase(id);
}

os::Result<os::BlockGeometry> FakeSystem::Geometry(const std::string&) {
  return os::BlockGeometry{device_bytes_, 512};
}

os::Result<os::FsIdentity> FakeSystem::Probe(const std::string&) {
  return os::FsIdentity{fstype_, uuid_};
}

os::Result<Bytes> FakeSystem::ReadDevice(const std::string& device, std::uint64_t offset,
                                         std::uint64_t length) {
  EOFZERO_RETURN_IF_ERROR(Call("device-read", Range(offset, length)));
  if (mounted_) return os::FailErrno("open " + device, EBUSY);  // O_EXCL
  return DeviceBytes(offset, length);
}

Status FakeSystem::WriteDevice(const std::string& device, std::uint64_t offset, ByteView data) {
  EOFZERO_RETURN_IF_ERROR(Call("device-write", Range(offset, data.size())));
  if (mounted_) return os::FailErrno("open " + device, EBUSY);  // O_EXCL
  for (std::uint64_t done = 0; done < data.size(); done += bs_)
    disk_[offset + done] =
        Bytes(data.begin() + static_cast<long>(done), data.begin() + static_cast<long>(done + bs_));
  return {};
}

// The fake has no block device cache apart from the filesystem's: nothing to drop.
Status FakeSystem::DropDeviceCache(const std::string&) { return Call("device-flushbuf", ""); }

Status FakeSystem::CheckNotClaimed(const std::string& device) {
  auto it = failures_.find("claimed");
  if (it == failures_.end()) return {};
  const int errnum = it->second;
  failures_.erase(it);
  return std::unexpected(os::Error{os::ErrorKind::kSafety, errnum, device + " is in use (fake)"});
}

Status FakeSystem::Mount(const std::string&, const std::string& target, const std::string&,
                         const std::string&) {
  EOFZERO_RETURN_IF_ERROR(Call("mount", ""));
  if (mounted_) return os::FailErrno("mount " + target, EBUSY);
  mounted_ = true;
  shut_down_ = false;
  return {};
}

Status FakeSystem::Unmount(const std::string& target, std::uint64_t, bool) {
  EOFZERO_RETURN_IF_ERROR(Call("umount", ""));
  if (!mounted_) return os::FailErrno("umount " + target, EINVAL);
  if (!fds_.empty() || !maps_.empty()) return os::FailErrno("umount " + target, EBUSY);
  for (auto& [path, f] : files_) {
    if (!shut_down_) {
      WriteBack(f, 0, UINT64_MAX);
      f.durable_size = f.size;
    }
    f.cache.clear();
    f.dirty.clear();
  }
  mounted_ = false;
  return {};
}

Status FakeSystem::Shutdown(const std::string&, std::uint64_t, os::ShutdownFlag flag) {
  EOFZERO_RETURN_IF_ERROR(Call("shutdown", os::ShutdownFlagName(flag)));
  for (auto& [path, f] : files_) {
    if (flag == os::ShutdownFlag::kNoLogFlush) {  // what was not written back is lost
      f.cache.clear();
      f.dirty.clear();
      f.size = f.durable_size;
    } else {
      WriteBack(f, 0, UINT64_MAX);
      f.durable_size = f.size;
    }
  }
  shut_down_ = true;
  return {};
}

os::Result<os::ProcessResult> FakeSystem::Run(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& a : argv) line += (line.empty() ? "" : " ") + a;
  EOFZERO_RETURN_IF_ERROR(Call("run", line));
  os::ProcessResult r;
  r.argv = argv;
  r.exit_code = 0;
  return r;
}

os::Result<os::OfflineFileView> FakeSystem::ReadExt4Offline(const std::string& device,
                                                            const std::string& path_in_fs,
                                                            std::uint64_t block_index) {
  EOFZERO_RETURN_IF_ERROR(Call("ext4-offline", path_in_fs));
  if (mounted_) return os::FailErrno("ext2fs_open " + device, EBUSY);
  const File& f = files_.at(mount_dir_ + path_in_fs);
  os::OfflineFileView v;
  v.inode = f.ino;
  v.size = f.durable_size;
  v.block_size = bs_;
  v.block_index = block_index;
  auto it = f.on_disk.find(block_index);
  v.hole = it == f.on_disk.end();
  v.unwritten = f.unwritten.contains(block_index);
  v.physical_block = v.hole ? 0 : it->second / bs_;
  v.bytes = OnDisk(f, block_index);
  return v;
}

}  // namespace eofzero::test
