// RecordingDevice: what a recording scratch filesystem's loop device is
// attached to instead of its image — the image served through eofzero's own
// FUSE server (os/fuse_file_server.h), which writes every block write, flush,
// discard and zero-range it passes on into a write log (scratch/write_log.h),
// each after a step record naming what the run was doing (NoteStep) when the
// server received it. The log begins before mkfs, on an image of zeros.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "os/error.h"
#include "os/fuse_file_server.h"
#include "os/shared_page.h"
#include "scratch/write_log.h"

namespace eofzero::scratch {

// The text of the step running now, shared by the run (writer) and its FUSE
// server (reader) through a SharedPage: a sequence count, odd while the text
// changes (a seqlock), so the server never reads half a text.
struct StepTag {
  std::atomic<std::uint64_t> sequence{0};
  std::uint32_t length = 0;
  char text[4000] = {};
  void Set(const std::string& step);
  // The text and its sequence number (even), read consistently.
  std::pair<std::uint64_t, std::string> Read() const;
};

// The first failure of the server to write the log ("pwrite /x/ext4-4096
// .ezlog [524288, +4160): No space left on device"), told to the run through
// the same shared page: set once by the server, read by the run.
struct LogFailure {
  std::atomic<std::uint32_t> state{0};  // 0 none, 1 being set, 2 set
  char text[1024] = {};
  void Set(const std::string& message);  // the first one stays
  std::string Read() const;              // "" when none
};

class RecordingDevice {
 public:
  // Serves `image_fd` (the whole image, `header.image_bytes`, all zeros) as
  // `mount_dir`/image and logs into `log_path` (created or truncated).
  // `mount_dir` is an empty folder the caller made. Call it while the
  // process is single-threaded.
  // A request its server leaves unanswered for `answer_deadline` aborts the
  // server's connection (os/fuse_watchdog.h: Unanswered() says why).
  static os::Result<std::unique_ptr<RecordingDevice>> Start(
      const std::filesystem::path& mount_dir, int image_fd, const WriteLogHeader& header,
      const std::string& log_path,
      std::chrono::milliseconds answer_deadline = os::kDefaultAnswerDeadline);
  RecordingDevice(const RecordingDevice&) = delete;
  RecordingDevice& operator=(const RecordingDevice&) = delete;
  ~RecordingDevice();  // the server stops first (Stop), then the log and the page go

  // What the loop device attaches to.
  std::string file_path() const { return server_->file_path(); }
  const std::string& log_path() const { return log_path_; }
  // What the run does from now on, for the records that follow; returns the
  // number its step records carry (scratch/write_log.h: a step's offset).
  std::uint64_t NoteStep(const std::string& text);
  // Why the server could not write the log, or "" when it could: each
  // request's records are written before the server answers it, so a
  // request the kernel saw answered (or failed with EIO) is in the log or
  // here.
  std::string Failure() const { return failure_ ? failure_->Read() : ""; }
  // Why its server's connection was aborted (it stopped answering), or "".
  std::string Unanswered() const { return server_ ? server_->Unanswered() : ""; }
  // Unmounts the server (detach the loop device first) and waits for it to
  // finish the log; an error when the log is incomplete (naming why, when
  // the server could not write it).
  os::Status Stop();

 private:
  RecordingDevice() = default;
  class LogEvents;
  std::string log_path_;
  std::optional<os::SharedPage> page_;
  StepTag* tag_ = nullptr;
  LogFailure* failure_ = nullptr;
  std::unique_ptr<os::FdBacking> backing_;
  std::unique_ptr<LogEvents> events_;
  std::optional<os::FuseFileServer> server_;
};

}  // namespace eofzero::scratch
