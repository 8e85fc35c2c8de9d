#include "scratch/recording_device.h"

#include <fcntl.h>
#include <linux/falloc.h>

#include <algorithm>
#include <cstring>
#include <new>

namespace eofzero::scratch {

void StepTag::Set(const std::string& step) {
  sequence.fetch_add(1, std::memory_order_acq_rel);  // odd: changing
  length = static_cast<std::uint32_t>(std::min(step.size(), sizeof text));
  std::memcpy(text, step.data(), length);
  sequence.fetch_add(1, std::memory_order_acq_rel);  // even: stable
}

std::pair<std::uint64_t, std::string> StepTag::Read() const {
  while (true) {
    const std::uint64_t before = sequence.load(std::memory_order_acquire);
    if (before & 1) continue;
    std::string copy(text, std::min<std::size_t>(length, sizeof text));
    std::atomic_thread_fence(std::memory_order_acquire);
    if (sequence.load(std::memory_order_acquire) == before) return {before, copy};
  }
}

static_assert(sizeof(StepTag) % alignof(LogFailure) == 0);  // laid out one after the other

void LogFailure::Set(const std::string& message) {
  std::uint32_t none = 0;
  if (!state.compare_exchange_strong(none, 1, std::memory_order_acq_rel)) return;
  const std::size_t n = std::min(message.size(), sizeof text - 1);
  std::memcpy(text, message.data(), n);
  text[n] = '\0';
  state.store(2, std::memory_order_release);
}

std::string LogFailure::Read() const {
  if (state.load(std::memory_order_acquire) != 2) return "";
  return std::string(text, strnlen(text, sizeof text));
}

// In the server: each request becomes records, after a step record when the
// run moved on to another step since the last one, written to the log
// before the request is answered: a log that cannot be written (ENOSPC)
// fails that very request, and the run learns why from `failure`.
class RecordingDevice::LogEvents : public os::FileEvents {
 public:
  LogEvents(WriteLogWriter writer, const StepTag& tag, LogFailure& failure)
      : writer_(std::move(writer)), tag_(tag), failure_(failure) {}

  bool Wrote(std::uint64_t offset, ByteView data) override {
    return Logged(Step(), [&] { return writer_.Append(WriteRecord(offset, data)); });
  }
  bool Synced(bool datasync) override {
    return Logged(Step(), [&] {
      return writer_.Append(
          {RecordType::kBarrier, datasync ? kBarrierData : std::uint8_t{0}, 0, 0, {}});
    });
  }
  bool Fallocated(int mode, std::uint64_t offset, std::uint64_t length) override {
    RecordType type;
    if (mode & FALLOC_FL_PUNCH_HOLE)
      type = RecordType::kDiscard;
    else if (mode & FALLOC_FL_ZERO_RANGE)
      type = RecordType::kZeroRange;
    else
      return true;  // space only: the bytes stay what they were
    return Logged(Step(), [&] { return writer_.Append({type, 0, offset, length, {}}); });
  }
  bool Closing() override {
    return Logged(Step(), [&] { return writer_.Finish(); });
  }
  int fd() const { return writer_.fd(); }

 private:
  // The step record (if any) and `append`'s records, written out now.
  template <class Append>
  bool Logged(os::Status step, Append append) {
    os::Status st = step;
    if (st) st = append();
    if (st) st = writer_.Flush();
    if (!st) failure_.Set(st.error().Message());
    return st.has_value();
  }
  os::Status Step() {
    auto [sequence, text] = tag_.Read();
    if (sequence == seen_) return {};
    seen_ = sequence;
    return writer_.Append({RecordType::kStep, 0, sequence / 2, 0, Bytes(text.begin(), text.end())});
  }
  WriteLogWriter writer_;
  const StepTag& tag_;
  LogFailure& failure_;
  std::uint64_t seen_ = ~0ull;
};

os::Result<std::unique_ptr<RecordingDevice>> RecordingDevice::Start(
    const std::filesystem::path& mount_dir, int image_fd, const WriteLogHeader& header,
    const std::string& log_path, std::chrono::milliseconds answer_deadline) {
  std::unique_ptr<RecordingDevice> dev(new RecordingDevice());
  dev->log_path_ = log_path;
  EOFZERO_ASSIGN_OR_RETURN(os::SharedPage page,
                           os::SharedPage::Create(sizeof(StepTag) + sizeof(LogFailure)));
  dev->page_.emplace(std::move(page));
  dev->tag_ = new (dev->page_->data()) StepTag();
  dev->failure_ = new (static_cast<char*>(dev->page_->data()) + sizeof(StepTag)) LogFailure();
  dev->tag_->Set("setup");
  EOFZERO_ASSIGN_OR_RETURN(WriteLogWriter writer, WriteLogWriter::Create(log_path, header));
  dev->events_ = std::make_unique<LogEvents>(std::move(writer), *dev->tag_, *dev->failure_);
  dev->backing_ = std::make_unique<os::FdBacking>(image_fd, header.image_bytes);
  EOFZERO_ASSIGN_OR_RETURN(os::FuseFileServer server,
                           os::FuseFileServer::Start(mount_dir.string(), "image", *dev->backing_,
                                                     *dev->events_, {image_fd, dev->events_->fd()},
                                                     answer_deadline));
  dev->server_.emplace(std::move(server));
  return dev;
}

RecordingDevice::~RecordingDevice() = default;

std::uint64_t RecordingDevice::NoteStep(const std::string& text) {
  tag_->Set(text);
  return tag_->sequence.load(std::memory_order_acquire) / 2;  // as LogEvents::Step writes it
}

os::Status RecordingDevice::Stop() {
  if (!server_) return {};
  auto stopped = server_->Stop();
  if (const std::string failed = Failure(); !failed.empty())
    return os::Fail(os::ErrorKind::kSystem,
                    "the write log " + log_path_ + " is incomplete: " + failed);
  return stopped;
}

}  // namespace eofzero::scratch
