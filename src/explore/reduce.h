// Reducing a finding (pure): the candidates one round of delta debugging
// tries, in the order syzkaller's minimizer tries them — drop an operation,
// then weaken a persistence (fsync → fdatasync → none), then move a length
// to a smaller class and an offset to a nearer one. The driver
// (suite/explore_run.h) runs a round's candidates, keeps the first that
// shows the same finding, and starts again, until no candidate does.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "explore/space.h"

namespace eofzero::explore {

enum class Shrink { kDrop, kPersist, kLength, kOffset };
const char* NameOf(Shrink s);  // "drop an operation", ...

struct Candidate {
  Shrink how = Shrink::kDrop;
  std::string what;                // "drop operation 2 (fpunch ...)"
  std::vector<Concrete> workload;  // concretized from the old EOF
};

// The workload's operations as classes, concretized again from the old
// EOF; nullopt when one of them is not valid at the size it then meets.
std::optional<std::vector<Concrete>> Reconcretize(const std::vector<Action>& actions,
                                                  const Geometry& g);

// The candidates of one kind for `workload`, simplest first; each valid.
std::vector<Candidate> Candidates(const std::vector<Concrete>& workload, Shrink how,
                                  const Geometry& g);

// Offsets from the nearest to EOF to the farthest: the reducer's order.
std::span<const Offset> OffsetsByDistance();

}  // namespace eofzero::explore
