#include "explore/reduce.h"

#include <fmt/format.h>

#include <algorithm>

namespace eofzero::explore {
namespace {

constexpr Offset kByDistance[] = {Offset::kEof,       Offset::kInBlock,   Offset::kNextBlock,
                                  Offset::kBlockStart, Offset::kPrevBlock, Offset::kNextFolio,
                                  Offset::kFar};

std::vector<Action> ActionsOf(const std::vector<Concrete>& workload) {
  std::vector<Action> out;
  for (const Concrete& c : workload) out.push_back(c.action);
  return out;
}

std::string Label(const Concrete& c, std::size_t i) {
  return fmt::format("operation {} ({})", i + 1, Describe({c}));
}

// A weaker persistence, or none: fsync -> fdatasync -> none; the others -> none.
std::optional<Persist> Weaker(Persist p) {
  switch (p) {
    case Persist::kNone:
      return std::nullopt;
    case Persist::kFsync:
      return Persist::kFdatasync;
    default:
      return Persist::kNone;
  }
}

}  // namespace

const char* NameOf(Shrink s) {
  switch (s) {
    case Shrink::kDrop:
      return "drop an operation";
    case Shrink::kPersist:
      return "weaken a persistence";
    case Shrink::kLength:
      return "a smaller length";
    case Shrink::kOffset:
      return "a nearer offset";
  }
  return "?";
}

std::span<const Offset> OffsetsByDistance() { return kByDistance; }

std::optional<std::vector<Concrete>> Reconcretize(const std::vector<Action>& actions,
                                                  const Geometry& g) {
  std::vector<Concrete> out;
  std::uint64_t size = g.old_eof;
  for (const Action& a : actions) {
    auto c = Concretize(a, size, g);
    if (!c) return std::nullopt;
    size = c->size_after;
    out.push_back(*c);
  }
  return out;
}

std::vector<Candidate> Candidates(const std::vector<Concrete>& workload, Shrink how,
                                  const Geometry& g) {
  std::vector<Candidate> out;
  const std::vector<Action> actions = ActionsOf(workload);
  auto add = [&](std::vector<Action> changed, std::string what) {
    if (changed == actions) return;
    if (auto w = Reconcretize(changed, g)) out.push_back({how, std::move(what), std::move(*w)});
  };
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const OpInfo& info = InfoOf(actions[i].op);
    switch (how) {
      case Shrink::kDrop:
        if (actions.size() > 1) {
          std::vector<Action> changed = actions;
          changed.erase(changed.begin() + static_cast<long>(i));
          add(std::move(changed), "drop " + Label(workload[i], i));
        }
        break;
      case Shrink::kPersist:
        if (auto weaker = Weaker(actions[i].persist)) {
          std::vector<Action> changed = actions;
          changed[i].persist = *weaker;
          add(std::move(changed), fmt::format("{}: {} instead of {}", Label(workload[i], i),
                                              NameOf(*weaker), NameOf(actions[i].persist)));
        }
        break;
      case Shrink::kLength:
        if (!info.length) break;
        for (std::size_t l = 0; l < static_cast<std::size_t>(actions[i].length); ++l) {
          std::vector<Action> changed = actions;
          changed[i].length = Length(l);
          add(std::move(changed), fmt::format("{}: length {} instead of {}", Label(workload[i], i),
                                              NameOf(Length(l)), NameOf(actions[i].length)));
        }
        break;
      case Shrink::kOffset: {
        if (!info.offset) break;
        const auto now = std::find(std::begin(kByDistance), std::end(kByDistance), actions[i].offset);
        for (auto o = std::begin(kByDistance); o != now; ++o) {
          std::vector<Action> changed = actions;
          changed[i].offset = *o;
          add(std::move(changed), fmt::format("{}: offset {} instead of {}", Label(workload[i], i),
                                              NameOf(*o), NameOf(actions[i].offset)));
        }
        break;
      }
    }
  }
  return out;
}

}  // namespace eofzero::explore
