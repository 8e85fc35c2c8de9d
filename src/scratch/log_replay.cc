#include "scratch/log_replay.h"

#include <fcntl.h>
#include <linux/falloc.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>

#include "os/file_io.h"
#include "os/interrupt.h"
#include "os/user_files.h"

namespace eofzero::scratch {
namespace {

constexpr std::uint64_t kMaxSubsetEntries = 1 << 20;

std::optional<std::uint64_t> Number(std::string_view s) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// "A" or "A-B" (A <= B): the first and last number it spans.
std::optional<std::pair<std::uint64_t, std::uint64_t>> Span(std::string_view s) {
  const auto dash = s.find('-');
  auto first = Number(s.substr(0, dash));
  auto last = dash == std::string_view::npos ? first : Number(s.substr(dash + 1));
  if (!first || !last || *last < *first || *last - *first >= kMaxSubsetEntries)
    return std::nullopt;
  return std::pair{*first, *last};
}

std::string SpansText(const std::vector<std::uint64_t>& sorted) {
  std::string s;
  for (std::size_t i = 0; i < sorted.size();) {
    std::size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1) ++j;
    s += (s.empty() ? "" : ",") + std::to_string(sorted[i]);
    if (j > i) s += "-" + std::to_string(sorted[j]);
    i = j + 1;
  }
  return s;
}

// What a subset says of one change while it is read.
struct Chosen {
  bool whole = false;
  std::vector<std::uint64_t> sectors;
};

}  // namespace

std::expected<StateAddress, std::string> ParseStateAddress(std::string_view text) {
  const std::string shown = "state '" + std::string(text) + "'";
  if (text == "final") return StateAddress{true, 0, std::nullopt};
  const auto colon = text.find(':');
  auto barrier = Number(text.substr(0, colon));
  if (!barrier)
    return std::unexpected(shown + ": expected final, K or K:SUBSET (K a barrier number)");
  StateAddress state{false, *barrier, std::nullopt};
  if (colon == std::string_view::npos) return state;
  std::map<std::uint64_t, Chosen> chosen;
  std::uint64_t count = 0;
  std::string_view rest = text.substr(colon + 1);
  if (rest.empty())
    return std::unexpected(shown + ": the subset after ':' is empty (state " +
                           std::to_string(*barrier) + " itself is '" + std::to_string(*barrier) +
                           "')");
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (comma != std::string_view::npos && rest.empty())
      return std::unexpected(shown + ": a subset ends with ','");
    const auto at = item.find('@');
    const bool torn = at != std::string_view::npos;
    auto changes = Span(item.substr(0, at));
    auto sectors = torn ? Span(item.substr(at + 1)) : std::nullopt;
    if (!changes || (torn && (!sectors || changes->first != changes->second)))
      return std::unexpected(shown + ": '" + std::string(item) +
                             "' is not an index, a range A-B (A <= B) or a torn write N@A-B");
    count += changes->second - changes->first + 1;
    if (sectors) count += sectors->second - sectors->first + 1;
    if (count > kMaxSubsetEntries) return std::unexpected(shown + ": the subset is too large");
    // Counted from the first, never up to the last: "i <= last" holds for
    // ever when the last is 2^64-1. (Span keeps each count small.)
    const std::uint64_t first_sector = sectors ? sectors->first : 0;
    const std::uint64_t sector_count = sectors ? sectors->second - sectors->first + 1 : 0;
    for (std::uint64_t i = 0; i <= changes->second - changes->first; ++i) {
      Chosen& c = chosen[changes->first + i];
      if (!torn) c.whole = true;  // the whole change wins over parts of it
      for (std::uint64_t s = 0; s < sector_count; ++s) c.sectors.push_back(first_sector + s);
    }
  }
  state.subset.emplace();
  for (auto& [change, c] : chosen) {
    SubsetItem item{change, {}};
    if (!c.whole) {
      item.sectors = std::move(c.sectors);
      std::sort(item.sectors.begin(), item.sectors.end());
      item.sectors.erase(std::unique(item.sectors.begin(), item.sectors.end()),
                         item.sectors.end());
    }
    state.subset->push_back(std::move(item));
  }
  return state;
}

std::string StateAddressText(const StateAddress& state) {
  if (state.final) return "final";
  std::string s = std::to_string(state.barrier);
  if (!state.subset || state.subset->empty()) return s;  // the same state as K
  s += ":";
  std::vector<std::uint64_t> whole;
  std::string torn;
  for (const auto& item : *state.subset) {
    if (item.sectors.empty()) {
      whole.push_back(item.change);
      continue;
    }
    std::vector<std::uint64_t> run;  // each contiguous run of sectors is one item
    for (std::size_t i = 0; i < item.sectors.size(); ++i) {
      run.push_back(item.sectors[i]);
      if (i + 1 == item.sectors.size() || item.sectors[i + 1] != item.sectors[i] + 1) {
        torn += "," + std::to_string(item.change) + "@" + SpansText(run);
        run.clear();
      }
    }
  }
  s += SpansText(whole);
  if (whole.empty() && !torn.empty()) torn.erase(0, 1);
  return s + torn;
}

std::uint64_t BarrierCount(const ParsedLog& log) {
  return static_cast<std::uint64_t>(
      std::count_if(log.records.begin(), log.records.end(),
                    [](const LogRecord& r) { return r.type == RecordType::kBarrier; }));
}

std::uint64_t LogSectorSize(const WriteLogHeader& header) {
  return header.sector_size ? header.sector_size : 512;
}

std::uint64_t SectorCount(std::uint64_t length, std::uint64_t sector_size) {
  return length / sector_size + (length % sector_size != 0);
}

std::optional<ByteRange> SectorBytes(std::uint64_t sector, std::uint64_t length,
                                     std::uint64_t sector_size) {
  if (sector >= SectorCount(length, sector_size)) return std::nullopt;
  const std::uint64_t begin = sector * sector_size;  // < length: no overflow
  return ByteRange{begin, begin + std::min(sector_size, length - begin)};
}

StateSelector::StateSelector(const StateAddress& state, std::uint32_t sector_size)
    : state_(state), sector_(sector_size ? sector_size : 512) {}

std::expected<std::optional<std::vector<std::uint64_t>>, std::string> StateSelector::Next(
    const LogRecord& r) {
  using Taken = std::optional<std::vector<std::uint64_t>>;
  if (done_) return Taken();
  if (r.type == RecordType::kBarrier) {
    ++epoch_;
    done_ = !state_.final && epoch_ > state_.barrier;
    return Taken();
  }
  if (!r.ChangesImage()) return Taken();
  if (state_.final || epoch_ < state_.barrier) return Taken(std::vector<std::uint64_t>());
  if (!state_.subset) return Taken();  // epoch == state_.barrier
  const auto& items = *state_.subset;
  const std::uint64_t change = in_epoch_++;
  if (next_ >= items.size() || items[next_].change != change) return Taken();
  const auto& sectors = items[next_++].sectors;
  const std::string name =
      "change " + std::to_string(change) + " of epoch " + std::to_string(epoch_);
  if (!sectors.empty() && r.type != RecordType::kWrite)
    return std::unexpected(name + " is a " + RecordTypeName(r.type) + ", not a write to tear");
  // Every sector named is below the count, counted in sectors, so that
  // nothing overflows; the first one that is not is named.
  const std::uint64_t count = SectorCount(r.length, sector_);
  for (std::uint64_t s : sectors)
    if (s >= count)
      return std::unexpected(name + " has " + std::to_string(count) + " sectors; no sector " +
                             std::to_string(s));
  return Taken(sectors);
}

std::expected<void, std::string> StateSelector::Finish() const {
  if (!state_.final && epoch_ < state_.barrier)
    return std::unexpected("barrier " + std::to_string(state_.barrier) +
                           " is past the log's last (" + std::to_string(epoch_) + ")");
  if (state_.subset && next_ < state_.subset->size())
    return std::unexpected("epoch " + std::to_string(state_.barrier) + " has " +
                           std::to_string(in_epoch_) + " changes; no change " +
                           std::to_string((*state_.subset)[next_].change));
  return {};
}

std::expected<std::vector<AppliedChange>, std::string> ChangesOfState(const ParsedLog& log,
                                                                      const StateAddress& state) {
  std::vector<AppliedChange> out;
  StateSelector select(state, log.header.sector_size);
  for (std::size_t i = 0; i < log.records.size() && !select.done(); ++i) {
    auto taken = select.Next(log.records[i]);
    if (!taken) return std::unexpected(taken.error());
    if (*taken) out.push_back({i, std::move(**taken)});
  }
  if (auto finished = select.Finish(); !finished) return std::unexpected(finished.error());
  return out;
}

namespace {

// [offset, offset + length) of the image reads as zeros: a hole.
os::Status Zero(int fd, std::uint64_t offset, std::uint64_t length, const std::string& out) {
  if (length == 0) return {};
  return os::Fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length, out);
}

// The part [from, to) of the write `r` (offsets within it).
os::Status ApplyPart(int fd, const LogRecord& r, std::uint64_t from, std::uint64_t to,
                     const std::string& out) {
  if (r.flags & kWriteZeros) return Zero(fd, r.offset + from, to - from, out);
  return os::WriteAll(fd, ByteView(r.payload).subspan(from, to - from), r.offset + from, out);
}

// Record `index` of the log, `r`, applied whole (no sectors) or torn.
os::Status ApplyChange(int fd, const WriteLogHeader& header, std::uint64_t index,
                       const LogRecord& r, const std::vector<std::uint64_t>& sectors,
                       const std::string& out) {
  const std::string name = "record " + std::to_string(index);
  if (r.offset > header.image_bytes || r.length > header.image_bytes - r.offset)
    return os::Fail(os::ErrorKind::kInvalid, name + " lies past the image's end");
  if (r.type != RecordType::kWrite) return Zero(fd, r.offset, r.length, out);
  if (!(r.flags & kWriteZeros) && r.payload.size() != r.length)
    return os::Fail(os::ErrorKind::kInvalid, name + ": payload and length differ");
  if (sectors.empty()) return ApplyPart(fd, r, 0, r.length, out);
  const std::uint64_t sector = LogSectorSize(header);
  for (std::uint64_t s : sectors) {  // a torn write: only these sectors (none wraps)
    const auto part = SectorBytes(s, r.length, sector);
    if (!part) return os::Fail(os::ErrorKind::kInvalid, name + ": no sector " + std::to_string(s));
    EOFZERO_RETURN_IF_ERROR(ApplyPart(fd, r, part->begin, part->end, out));
  }
  return {};
}

// The replay over records that `next` hands out in log order (nullptr at
// the end).
os::Status ReplayRecords(const WriteLogHeader& header,
                         const std::function<os::Result<const LogRecord*>()>& next,
                         const StateAddress& state, const std::string& out) {
  EOFZERO_ASSIGN_OR_RETURN(os::PendingFile file, os::PendingFile::Create(out, 0600));
  EOFZERO_RETURN_IF_ERROR(os::Truncate(file.fd(), header.image_bytes, out));
  StateSelector select(state, header.sector_size);
  for (std::uint64_t index = 0; !select.done(); ++index) {
    if (os::InterruptRequested())
      return os::Fail(os::ErrorKind::kInterrupted,
                      "interrupted by signal " + std::to_string(os::InterruptSignal()));
    EOFZERO_ASSIGN_OR_RETURN(const LogRecord* r, next());
    if (!r) break;
    auto taken = select.Next(*r);
    if (!taken) return os::Fail(os::ErrorKind::kInvalid, taken.error());
    if (*taken) EOFZERO_RETURN_IF_ERROR(ApplyChange(file.fd(), header, index, *r, **taken, out));
  }
  if (auto finished = select.Finish(); !finished)
    return os::Fail(os::ErrorKind::kInvalid, finished.error());
  return file.Commit();
}

}  // namespace

os::Status ReplayState(WriteLogReader& log, const StateAddress& state, const std::string& out) {
  LogRecord record;
  return ReplayRecords(
      log.header(),
      [&]() -> os::Result<const LogRecord*> {
        EOFZERO_ASSIGN_OR_RETURN(bool more, log.Next(record));
        return more ? &record : nullptr;
      },
      state, out);
}

os::Status ReplayState(const ParsedLog& log, const StateAddress& state, const std::string& out) {
  std::size_t i = 0;
  return ReplayRecords(
      log.header,
      [&]() -> os::Result<const LogRecord*> {
        return i < log.records.size() ? &log.records[i++] : nullptr;
      },
      state, out);
}

}  // namespace eofzero::scratch
