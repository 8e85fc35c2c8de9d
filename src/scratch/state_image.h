// StateImage: a crash state of a write log (scratch/log_replay.h) as layers,
// never copied into an image file: the base (zeros), the state's changes (the
// log's own payloads, by reference), and on top a throwaway overlay of what
// is written to it (mount's journal recovery, fsck's repairs), kept in
// memory. Served through os::FuseFileServer and a loop device, a state costs
// O(its changes + what recovery writes), not O(image size).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>

#include "os/error.h"
#include "os/fuse_file_server.h"
#include "scratch/log_replay.h"
#include "scratch/write_log.h"

namespace eofzero::scratch {

class StateImage : public os::FileBacking {
 public:
  // The state `state` of `log`, which must outlive it (its payloads are read
  // in place). `statfs_fd`: a descriptor whose filesystem's figures the
  // served file reports (the log's), or -1.
  static os::Result<std::unique_ptr<StateImage>> Create(const ParsedLog& log,
                                                        const StateAddress& state, int statfs_fd);

  std::uint64_t size() const override { return size_; }
  std::int64_t Read(std::uint64_t offset, std::span<std::uint8_t> out) override;
  int Write(std::uint64_t offset, ByteView data) override;
  int Fallocate(int mode, std::uint64_t offset, std::uint64_t length) override;
  int StatFs(struct statvfs& out) override;

  // How many layer pieces the state has now (for tests and reports).
  std::size_t pieces() const { return pieces_.size(); }
  // Bytes written on top since it was made (the overlay's; in the process
  // that serves it: a FuseFileServer's child has its own copy).
  std::uint64_t overlay_bytes() const { return overlay_bytes_; }

 private:
  struct Piece {
    std::uint64_t end = 0;
    const std::uint8_t* data = nullptr;  // the bytes of [start, end); nullptr: zeros
  };
  StateImage() = default;
  // Lays [offset, offset + length) on top, reading as `data` (nullptr: zeros).
  void Lay(std::uint64_t offset, std::uint64_t length, const std::uint8_t* data);

  std::uint64_t size_ = 0;
  int statfs_fd_ = -1;
  std::map<std::uint64_t, Piece> pieces_;  // by start; disjoint
  std::deque<Bytes> overlay_;              // what was written on top
  std::uint64_t overlay_bytes_ = 0;
};

// Several states of one log behind one server, one at a time: Select(i)
// makes it state i, freshly laid out (its overlay from before is gone).
// What a case's crash states are checked through, so that each state costs
// a switch, not a new server and loop device (suite/crash_state_check.h).
class StateSeries : public os::FileBacking {
 public:
  // `log` must outlive it. Serves state 0 until a Select.
  static os::Result<std::unique_ptr<StateSeries>> Create(const ParsedLog& log,
                                                         std::vector<StateAddress> states);
  std::uint64_t size() const override { return log_.header.image_bytes; }
  std::int64_t Read(std::uint64_t offset, std::span<std::uint8_t> out) override {
    return current_->Read(offset, out);
  }
  int Write(std::uint64_t offset, ByteView data) override { return current_->Write(offset, data); }
  int Fallocate(int mode, std::uint64_t offset, std::uint64_t length) override {
    return current_->Fallocate(mode, offset, length);
  }
  int StatFs(struct statvfs& out) override { return current_->StatFs(out); }
  int Select(std::uint64_t which) override;

 private:
  StateSeries(const ParsedLog& log, std::vector<StateAddress> states)
      : log_(log), states_(std::move(states)) {}
  const ParsedLog& log_;
  std::vector<StateAddress> states_;
  std::unique_ptr<StateImage> current_;
};

}  // namespace eofzero::scratch
