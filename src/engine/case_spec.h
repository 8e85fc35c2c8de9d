// The case model: what extends the file past its old, non-aligned EOF.
// (Today the three generic/790 extensions; cases become data files later.)
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace eofzero::engine {

enum class Extension {
  kAppendWrite,  // pwrite one block of 0x42 at offset bs, then sync_file_range it
  kTruncateUp,   // ftruncate to 2 blocks
  kFallocate,    // fallocate(mode 0, bs, bs)
};

struct CaseSpec {
  std::string name;
  std::string purpose;
  Extension extension;
};

std::span<const CaseSpec> BuiltinCases();
const CaseSpec* FindCase(std::string_view name);

}  // namespace eofzero::engine
