// A case's workload in the explorer's terms (pure), so that a finding can be
// matched to the catalog case that already shows it: the steps between the
// case's plant and its first shutdown, each an operation of the space (by
// its name, its flags and the open mode of its descriptor) whose offset and
// length are the numbers of some class at the size the file has then; a
// flush after an operation is its persistence.
#pragma once

#include <expected>
#include <string>
#include <vector>

#include "engine/case_spec.h"
#include "engine/expr.h"
#include "explore/space.h"

namespace eofzero::explore {

// The workload, or why the case has none the explorer could have made (a
// step it does not make, an offset that is no class, a second file's
// operations, two persistences on one operation).
std::expected<std::vector<Concrete>, std::string> ClassifyCase(const engine::CaseSpec& spec,
                                                               const engine::Variables& vars,
                                                               const Geometry& g);

// The same, where an offset or length that is no class is allowed: what a
// catalog case's signature needs (its operations, and the distance of the
// last one, "other" when it is no class).
struct CaseShape {
  std::vector<std::string> ops;  // OpInfo labels
  std::string distance;          // an offset class's name, "other", or "-"
  std::string crash;             // the crash mode its shutdown step names, or "-"
};
std::expected<CaseShape, std::string> ShapeOfCase(const engine::CaseSpec& spec,
                                                  const engine::Variables& vars,
                                                  const Geometry& g);

}  // namespace eofzero::explore
