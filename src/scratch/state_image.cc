#include "scratch/state_image.h"

#include <linux/falloc.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace eofzero::scratch {

os::Result<std::unique_ptr<StateImage>> StateImage::Create(const ParsedLog& log,
                                                           const StateAddress& state,
                                                           int statfs_fd) {
  auto changes = ChangesOfState(log, state);
  if (!changes) return os::Fail(os::ErrorKind::kInvalid, changes.error());
  std::unique_ptr<StateImage> image(new StateImage());
  image->size_ = log.header.image_bytes;
  image->statfs_fd_ = statfs_fd;
  const std::uint64_t sector = LogSectorSize(log.header);
  for (const auto& change : *changes) {
    const LogRecord& r = log.records[change.record];
    if (r.offset > image->size_ || r.length > image->size_ - r.offset)
      return os::Fail(os::ErrorKind::kInvalid,
                      "record " + std::to_string(change.record) + " lies past the image's end");
    const bool zeros = r.type != RecordType::kWrite || (r.flags & kWriteZeros);
    if (!zeros && r.payload.size() != r.length)
      return os::Fail(os::ErrorKind::kInvalid,
                      "record " + std::to_string(change.record) + ": payload and length differ");
    if (change.sectors.empty()) {
      image->Lay(r.offset, r.length, zeros ? nullptr : r.payload.data());
      continue;
    }
    for (std::uint64_t s : change.sectors) {  // a torn write
      const auto part = SectorBytes(s, r.length, sector);
      if (!part)
        return os::Fail(os::ErrorKind::kInvalid, "record " + std::to_string(change.record) +
                                                     ": no sector " + std::to_string(s));
      image->Lay(r.offset + part->begin, part->end - part->begin,
                 zeros ? nullptr : r.payload.data() + part->begin);
    }
  }
  return image;
}

void StateImage::Lay(std::uint64_t offset, std::uint64_t length, const std::uint8_t* data) {
  if (length == 0) return;
  const std::uint64_t end = offset + length;
  // Cut the pieces that straddle either edge, then drop those inside.
  auto cut = [&](std::uint64_t at) {
    auto it = pieces_.upper_bound(at);
    if (it == pieces_.begin()) return;
    --it;
    const std::uint64_t start = it->first;
    Piece& p = it->second;
    if (start >= at || p.end <= at) return;
    Piece tail{p.end, p.data ? p.data + (at - start) : nullptr};
    p.end = at;
    pieces_.emplace(at, tail);
  };
  cut(offset);
  cut(end);
  pieces_.erase(pieces_.lower_bound(offset), pieces_.lower_bound(end));
  if (data) pieces_.emplace(offset, Piece{end, data});
  // (zeros are the base: no piece needed)
}

std::int64_t StateImage::Read(std::uint64_t offset, std::span<std::uint8_t> out) {
  if (offset >= size_) return 0;
  const std::uint64_t end = std::min<std::uint64_t>(size_, offset + out.size());
  std::memset(out.data(), 0, end - offset);
  auto it = pieces_.upper_bound(offset);
  if (it != pieces_.begin()) --it;
  for (; it != pieces_.end() && it->first < end; ++it) {
    const std::uint64_t from = std::max(it->first, offset), to = std::min(it->second.end, end);
    if (from >= to) continue;
    std::memcpy(out.data() + (from - offset), it->second.data + (from - it->first), to - from);
  }
  return static_cast<std::int64_t>(end - offset);
}

int StateImage::Write(std::uint64_t offset, ByteView data) {
  if (offset > size_ || data.size() > size_ - offset) return EFBIG;
  overlay_.emplace_back(data.begin(), data.end());
  overlay_bytes_ += data.size();
  Lay(offset, data.size(), overlay_.back().data());
  return 0;
}

int StateImage::Fallocate(int mode, std::uint64_t offset, std::uint64_t length) {
  if (!(mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE))) return 0;  // space only
  if (offset > size_) return EINVAL;
  Lay(offset, std::min(length, size_ - offset), nullptr);
  return 0;
}

int StateImage::StatFs(struct statvfs& out) {
  if (statfs_fd_ < 0) {
    out = {};
    out.f_bsize = out.f_frsize = 4096;
    out.f_namemax = 255;
    return 0;
  }
  return ::fstatvfs(statfs_fd_, &out) < 0 ? errno : 0;
}

os::Result<std::unique_ptr<StateSeries>> StateSeries::Create(const ParsedLog& log,
                                                             std::vector<StateAddress> states) {
  if (states.empty()) return os::Fail(os::ErrorKind::kInvalid, "a series of no state");
  std::unique_ptr<StateSeries> series(new StateSeries(log, std::move(states)));
  EOFZERO_ASSIGN_OR_RETURN(series->current_, StateImage::Create(log, series->states_[0], -1));
  return series;
}

int StateSeries::Select(std::uint64_t which) {
  if (which >= states_.size()) return EINVAL;
  auto next = StateImage::Create(log_, states_[which], -1);
  if (!next) return EINVAL;
  current_ = std::move(*next);
  return 0;
}

}  // namespace eofzero::scratch
