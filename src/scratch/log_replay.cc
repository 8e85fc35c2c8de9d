#include "scratch/log_replay.h"

#include <fcntl.h>
#include <linux/falloc.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "os/file_io.h"

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
  if (!state.subset) return s;
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

std::expected<std::vector<AppliedChange>, std::string> ChangesOfState(const ParsedLog& log,
                                                                      const StateAddress& state) {
  std::vector<AppliedChange> out;
  if (!state.final && state.barrier > BarrierCount(log))
    return std::unexpected("barrier " + std::to_string(state.barrier) +
                           " is past the log's last (" + std::to_string(BarrierCount(log)) + ")");
  const std::uint64_t sector = LogSectorSize(log.header);
  std::uint64_t epoch = 0, in_epoch = 0;
  std::size_t next = 0;  // the next subset item
  for (std::size_t i = 0; i < log.records.size(); ++i) {
    const LogRecord& r = log.records[i];
    if (r.type == RecordType::kBarrier) {
      ++epoch;
      if (!state.final && epoch > state.barrier) break;
      continue;
    }
    if (!r.ChangesImage()) continue;
    if (state.final || epoch < state.barrier) {
      out.push_back({i, {}});
      continue;
    }
    if (!state.subset) continue;  // epoch == state.barrier
    const auto& items = *state.subset;
    if (next < items.size() && items[next].change == in_epoch) {
      const auto& sectors = items[next].sectors;
      const std::string name = "change " + std::to_string(in_epoch) + " of epoch " +
                               std::to_string(epoch);
      if (!sectors.empty() && r.type != RecordType::kWrite)
        return std::unexpected(name + " is a " + RecordTypeName(r.type) + ", not a write to tear");
      for (std::uint64_t s : sectors)  // each of them, by division: a product could wrap
        if (!SectorBytes(s, r.length, sector))
          return std::unexpected(name + " has " + std::to_string(SectorCount(r.length, sector)) +
                                 " sectors; no sector " + std::to_string(s));
      out.push_back({i, sectors});
      ++next;
    }
    ++in_epoch;
  }
  if (state.subset && next < state.subset->size())
    return std::unexpected("epoch " + std::to_string(state.barrier) + " has " +
                           std::to_string(in_epoch) + " changes; no change " +
                           std::to_string((*state.subset)[next].change));
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

}  // namespace

os::Status ReplayState(const ParsedLog& log, const StateAddress& state, const std::string& out) {
  auto changes = ChangesOfState(log, state);
  if (!changes) return os::Fail(os::ErrorKind::kInvalid, changes.error());
  EOFZERO_ASSIGN_OR_RETURN(os::UniqueFd fd, os::OpenFile(out, O_RDWR | O_CREAT | O_EXCL, 0600));
  EOFZERO_RETURN_IF_ERROR(os::Truncate(fd.get(), log.header.image_bytes, out));
  const std::uint64_t sector = LogSectorSize(log.header);
  for (const auto& change : *changes) {
    const LogRecord& r = log.records[change.record];
    const std::string name = "record " + std::to_string(change.record);
    if (r.offset > log.header.image_bytes || r.length > log.header.image_bytes - r.offset)
      return os::Fail(os::ErrorKind::kInvalid, name + " lies past the image's end");
    if (r.type != RecordType::kWrite) {
      EOFZERO_RETURN_IF_ERROR(Zero(fd.get(), r.offset, r.length, out));
      continue;
    }
    if (!(r.flags & kWriteZeros) && r.payload.size() != r.length)
      return os::Fail(os::ErrorKind::kInvalid, name + ": payload and length differ");
    if (change.sectors.empty()) {
      EOFZERO_RETURN_IF_ERROR(ApplyPart(fd.get(), r, 0, r.length, out));
      continue;
    }
    for (std::uint64_t s : change.sectors) {  // a torn write: only these sectors
      const auto part = SectorBytes(s, r.length, sector);
      if (!part) return os::Fail(os::ErrorKind::kInvalid, name + ": no sector " + std::to_string(s));
      EOFZERO_RETURN_IF_ERROR(ApplyPart(fd.get(), r, part->begin, part->end, out));
    }
  }
  return {};
}

}  // namespace eofzero::scratch
