#include "scratch/log_replay.h"

#include <fcntl.h>
#include <linux/falloc.h>

#include <algorithm>
#include <charconv>

#include "os/file_io.h"

namespace eofzero::scratch {
namespace {

std::optional<std::uint64_t> Number(std::string_view s) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

constexpr std::uint64_t kMaxSubsetEntries = 1 << 20;

}  // namespace

std::expected<StateAddress, std::string> ParseStateAddress(std::string_view text) {
  const std::string shown = "state '" + std::string(text) + "'";
  if (text == "final") return StateAddress{true, 0, std::nullopt};
  const auto colon = text.find(':');
  auto barrier = Number(text.substr(0, colon));
  if (!barrier) return std::unexpected(shown + ": expected final, K or K:SUBSET (K a barrier number)");
  StateAddress state{false, *barrier, std::nullopt};
  if (colon == std::string_view::npos) return state;
  std::vector<std::uint64_t> subset;
  std::string_view rest = text.substr(colon + 1);
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (comma != std::string_view::npos && rest.empty())
      return std::unexpected(shown + ": a subset ends with ','");
    const auto dash = item.find('-');
    auto first = Number(item.substr(0, dash));
    auto last = dash == std::string_view::npos ? first : Number(item.substr(dash + 1));
    if (!first || !last || *last < *first)
      return std::unexpected(shown + ": '" + std::string(item) +
                             "' is not an index or a range A-B (A <= B)");
    if (*last - *first >= kMaxSubsetEntries || subset.size() > kMaxSubsetEntries)
      return std::unexpected(shown + ": the subset is too large");
    for (std::uint64_t i = *first; i <= *last; ++i) subset.push_back(i);
  }
  std::sort(subset.begin(), subset.end());
  subset.erase(std::unique(subset.begin(), subset.end()), subset.end());
  state.subset = std::move(subset);
  return state;
}

std::string StateAddressText(const StateAddress& state) {
  if (state.final) return "final";
  std::string s = std::to_string(state.barrier);
  if (!state.subset) return s;
  s += ":";
  for (std::size_t i = 0; i < state.subset->size(); ++i)
    s += (i ? "," : "") + std::to_string((*state.subset)[i]);
  return s;
}

std::uint64_t BarrierCount(const ParsedLog& log) {
  return static_cast<std::uint64_t>(
      std::count_if(log.records.begin(), log.records.end(),
                    [](const LogRecord& r) { return r.type == RecordType::kBarrier; }));
}

std::expected<std::vector<std::size_t>, std::string> ChangesOfState(const ParsedLog& log,
                                                                    const StateAddress& state) {
  std::vector<std::size_t> out;
  if (!state.final && state.barrier > BarrierCount(log))
    return std::unexpected("barrier " + std::to_string(state.barrier) + " is past the log's last (" +
                           std::to_string(BarrierCount(log)) + ")");
  std::uint64_t epoch = 0, in_epoch = 0;
  auto next = state.subset ? state.subset->begin() : std::vector<std::uint64_t>::const_iterator();
  for (std::size_t i = 0; i < log.records.size(); ++i) {
    const LogRecord& r = log.records[i];
    if (r.type == RecordType::kBarrier) {
      ++epoch;
      if (!state.final && epoch > state.barrier) break;
      continue;
    }
    if (!r.ChangesImage()) continue;
    if (state.final || epoch < state.barrier) {
      out.push_back(i);
    } else if (state.subset) {  // epoch == state.barrier
      if (next != state.subset->end() && *next == in_epoch) {
        out.push_back(i);
        ++next;
      }
      ++in_epoch;
    }
  }
  if (state.subset && next != state.subset->end())
    return std::unexpected("epoch " + std::to_string(state.barrier) + " has " +
                           std::to_string(in_epoch) + " changes; no change " +
                           std::to_string(*next));
  return out;
}

os::Status ReplayState(const ParsedLog& log, const StateAddress& state, const std::string& out) {
  auto changes = ChangesOfState(log, state);
  if (!changes) return os::Fail(os::ErrorKind::kInvalid, changes.error());
  EOFZERO_ASSIGN_OR_RETURN(os::UniqueFd fd, os::OpenFile(out, O_RDWR | O_CREAT | O_EXCL, 0600));
  EOFZERO_RETURN_IF_ERROR(os::Truncate(fd.get(), log.header.image_bytes, out));
  for (std::size_t i : *changes) {
    const LogRecord& r = log.records[i];
    if (r.offset > log.header.image_bytes || r.length > log.header.image_bytes - r.offset)
      return os::Fail(os::ErrorKind::kInvalid, "record " + std::to_string(i) +
                                                   " lies past the image's end");
    if (r.type == RecordType::kWrite && !(r.flags & kWriteZeros)) {
      if (r.payload.size() != r.length)
        return os::Fail(os::ErrorKind::kInvalid,
                        "record " + std::to_string(i) + ": payload and length differ");
      EOFZERO_RETURN_IF_ERROR(os::WriteAll(fd.get(), r.payload, r.offset, out));
    } else if (r.length > 0) {  // reads as zeros: a hole in the new image
      EOFZERO_RETURN_IF_ERROR(os::Fallocate(fd.get(), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                                            r.offset, r.length, out));
    }
  }
  return {};
}

}  // namespace eofzero::scratch
