#include "engine/case_spec.h"

#include <array>

namespace eofzero::engine {

std::span<const CaseSpec> BuiltinCases() {
  static const std::array<CaseSpec, 3> kCases = {{
      {"append_write",
       "pwrite a block at the next block boundary; the gap must be zeroed and written back "
       "with the data",
       Extension::kAppendWrite},
      {"truncate_up", "ftruncate up to two blocks; the gap must be zeroed and persist",
       Extension::kTruncateUp},
      {"fallocate", "fallocate the next block (mode 0); the gap must be zeroed and persist",
       Extension::kFallocate},
  }};
  return kCases;
}

const CaseSpec* FindCase(std::string_view name) {
  for (const auto& c : BuiltinCases())
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace eofzero::engine
