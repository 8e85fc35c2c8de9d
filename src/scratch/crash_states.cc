#include "scratch/crash_states.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>

namespace eofzero::scratch {
namespace {

// The index of the first step record of a step after `sequence`.
std::size_t EndOfStep(const ParsedLog& log, std::uint64_t sequence) {
  for (std::size_t i = 0; i < log.records.size(); ++i)
    if (log.records[i].type == RecordType::kStep && log.records[i].offset > sequence) return i;
  return log.records.size();
}

std::uint64_t BarriersBefore(const ParsedLog& log, std::size_t end) {
  return static_cast<std::uint64_t>(
      std::count_if(log.records.begin(), log.records.begin() + static_cast<std::ptrdiff_t>(end),
                    [](const LogRecord& r) { return r.type == RecordType::kBarrier; }));
}

std::vector<ByteRange> Merged(std::vector<ByteRange> ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const ByteRange& a, const ByteRange& b) { return a.begin < b.begin; });
  std::vector<ByteRange> out;
  for (const auto& r : ranges) {
    if (!out.empty() && r.begin <= out.back().end)
      out.back().end = std::max(out.back().end, r.end);
    else
      out.push_back(r);
  }
  return out;
}

// The states of one epoch: K, then its subsets (see the header).
class EpochStates {
 public:
  EpochStates(const ParsedLog& log, std::uint64_t barrier, const std::vector<std::size_t>& changes,
              const StatePlanOptions& options)
      : log_(log), barrier_(barrier), changes_(changes), options_(options) {}

  void AddTo(std::vector<StateAddress>& out, std::set<std::string>& seen) const {
    auto add = [&](StateAddress state) {
      if (seen.insert(StateAddressText(state)).second) out.push_back(std::move(state));
    };
    add({false, barrier_, std::nullopt});
    const std::size_t n = changes_.size();
    if (n <= options_.subset_limit) {
      for (std::uint64_t mask = 1; mask < (std::uint64_t{1} << n); ++mask) add(Masked(mask));
    } else {
      for (std::size_t j = 1; j <= n; ++j) add(Prefix(j, {}));
      std::mt19937_64 random(options_.seed ^ (barrier_ * 0x9e3779b97f4a7c15ull));
      for (std::uint32_t k = 0; k < options_.samples; ++k) {
        StateAddress state{false, barrier_, std::vector<SubsetItem>{}};
        for (std::size_t i = 0; i < n; ++i)
          if (random() & 1) state.subset->push_back({i, {}});
        add(std::move(state));
      }
    }
    if (!options_.torn) return;
    const std::uint64_t sector = LogSectorSize(log_.header);
    for (std::size_t c = 0; c < n; ++c) {
      const LogRecord& r = log_.records[changes_[c]];
      const std::uint64_t sectors = SectorCount(r.length, sector);
      if (r.type != RecordType::kWrite || sectors < 2) continue;
      for (std::uint64_t kept : {std::uint64_t{1}, sectors / 2, sectors - 1}) {
        if (kept == 0 || kept >= sectors) continue;
        std::vector<std::uint64_t> torn;
        for (std::uint64_t s = 0; s < kept; ++s) torn.push_back(s);
        add(Prefix(c, SubsetItem{c, std::move(torn)}));
      }
    }
  }

 private:
  StateAddress Masked(std::uint64_t mask) const {
    StateAddress state{false, barrier_, std::vector<SubsetItem>{}};
    for (std::size_t i = 0; i < changes_.size(); ++i)
      if (mask & (std::uint64_t{1} << i)) state.subset->push_back({i, {}});
    return state;
  }
  // The first `count` changes whole, then `last` if it has sectors.
  StateAddress Prefix(std::size_t count, SubsetItem last) const {
    StateAddress state{false, barrier_, std::vector<SubsetItem>{}};
    for (std::size_t i = 0; i < count; ++i) state.subset->push_back({i, {}});
    if (!last.sectors.empty()) state.subset->push_back(std::move(last));
    return state;
  }

  const ParsedLog& log_;
  const std::uint64_t barrier_;
  const std::vector<std::size_t>& changes_;
  const StatePlanOptions& options_;
};

}  // namespace

std::vector<std::uint64_t> StepOfRecords(const ParsedLog& log) {
  std::vector<std::uint64_t> out(log.records.size());
  std::uint64_t step = 0;
  for (std::size_t i = 0; i < log.records.size(); ++i) {
    if (log.records[i].type == RecordType::kStep) step = log.records[i].offset;
    out[i] = step;
  }
  return out;
}

std::uint64_t BarriersBy(const ParsedLog& log, std::uint64_t sequence) {
  return BarriersBefore(log, EndOfStep(log, sequence));
}

std::expected<StatePlan, std::string> PlanCrashStates(const ParsedLog& log,
                                                      std::uint64_t plant_sequence,
                                                      std::uint64_t crash_sequence,
                                                      const StatePlanOptions& options) {
  if (plant_sequence >= crash_sequence)
    return std::unexpected("the plant (step " + std::to_string(plant_sequence) +
                           ") does not come before the crash (step " +
                           std::to_string(crash_sequence) + ")");
  const bool plant_logged = std::any_of(log.records.begin(), log.records.end(), [&](auto& r) {
    return r.type == RecordType::kStep && r.offset == plant_sequence;
  });
  if (!plant_logged)
    return std::unexpected("the log has no record of the plant (step " +
                           std::to_string(plant_sequence) + ")");
  if (!log.damage.empty()) return std::unexpected("the write log is damaged: " + log.damage);
  const std::size_t begin = EndOfStep(log, plant_sequence);
  const std::size_t end = EndOfStep(log, crash_sequence);
  if (end == log.records.size())
    return std::unexpected("the write log ends inside the crash (step " +
                           std::to_string(crash_sequence) + "): it was cut short");
  const auto steps = StepOfRecords(log);
  bool plant_flushed = false;
  for (std::size_t i = 0; i < begin; ++i)
    plant_flushed |= log.records[i].type == RecordType::kBarrier && steps[i] == plant_sequence;
  if (!plant_flushed)
    return std::unexpected("no flush reached the device during the plant: a device that passes "
                           "no flush gives no crash state to build");
  StatePlan plan;
  plan.first_barrier = BarriersBefore(log, begin);
  plan.last_barrier = BarriersBefore(log, end);
  std::vector<std::vector<std::size_t>> epochs(plan.last_barrier - plan.first_barrier + 1);
  std::vector<ByteRange> touched;
  std::uint64_t epoch = 0;
  for (std::size_t i = 0; i < end; ++i) {
    const LogRecord& r = log.records[i];
    if (r.type == RecordType::kBarrier) ++epoch;
    if (!r.ChangesImage() || epoch < plan.first_barrier) continue;
    epochs[epoch - plan.first_barrier].push_back(i);
    touched.push_back({r.offset, r.offset + r.length});
  }
  std::set<std::string> seen;
  for (std::size_t k = 0; k < epochs.size(); ++k) {
    plan.window_changes += epochs[k].size();
    EpochStates(log, plan.first_barrier + k, epochs[k], options).AddTo(plan.states, seen);
  }
  plan.touched = Merged(std::move(touched));
  return plan;
}

std::vector<std::string> StepsOfState(const ParsedLog& log, const StateAddress& state) {
  std::vector<std::string> out;
  auto changes = ChangesOfState(log, state);
  if (!changes) return out;
  std::map<std::uint64_t, std::string> texts;
  for (const auto& r : log.records)
    if (r.type == RecordType::kStep) texts[r.offset] = std::string(r.payload.begin(), r.payload.end());
  const auto steps = StepOfRecords(log);
  std::size_t barrier_at = 0;  // the record index of barrier K: epoch K's changes follow it
  std::uint64_t count = 0;
  for (std::size_t i = 0; !state.final && state.barrier > 0 && i < log.records.size(); ++i)
    if (log.records[i].type == RecordType::kBarrier && ++count == state.barrier) {
      barrier_at = i;
      break;
    }
  for (const auto& c : *changes) {
    if (c.record < barrier_at) continue;
    const std::string& text = texts[steps[c.record]];
    if (std::find(out.begin(), out.end(), text) == out.end()) out.push_back(text);
  }
  return out;
}

std::optional<std::string> PlantInLoggedWrite(ParsedLog& log, std::uint64_t plant_sequence,
                                              std::uint64_t crash_sequence, ByteRange range,
                                              ByteView bytes) {
  const std::size_t begin = EndOfStep(log, plant_sequence);
  const std::size_t end = EndOfStep(log, crash_sequence);
  for (std::size_t i = end; i-- > begin;) {
    LogRecord& r = log.records[i];
    if (r.type != RecordType::kWrite) continue;
    const std::uint64_t from = std::max(r.offset, range.begin);
    const std::uint64_t to = std::min(r.offset + r.length, range.end);
    if (from >= to) continue;
    if (r.flags & kWriteZeros) {
      r.payload.assign(r.length, 0);
      r.flags &= static_cast<std::uint8_t>(~kWriteZeros);
    }
    std::copy(bytes.begin() + static_cast<std::ptrdiff_t>(from - range.begin),
              bytes.begin() + static_cast<std::ptrdiff_t>(to - range.begin),
              r.payload.begin() + static_cast<std::ptrdiff_t>(from - r.offset));
    const auto steps = StepOfRecords(log);
    std::string during;
    for (const auto& s : log.records)
      if (s.type == RecordType::kStep && s.offset == steps[i])
        during = std::string(s.payload.begin(), s.payload.end());
    return "record " + std::to_string(i) + ": write " + std::to_string(r.offset) + " +" +
           std::to_string(r.length) + (during.empty() ? "" : " during " + during);
  }
  return std::nullopt;
}

}  // namespace eofzero::scratch
