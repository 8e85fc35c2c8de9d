// After the crash: the main file read back where its history touched it,
// through O_DIRECT and then (its clean cache dropped) buffered reads, for the
// crash model's invariants (oracles/invariants.h).
#include <algorithm>

#include "engine/interpreter.h"

namespace eofzero::engine {

// A read back of at most this much: a 256 MiB truncate is a hole nobody
// wrote past its edges.
constexpr std::uint64_t kFileViewLimit = 16 << 20;

os::Status Interpreter::ReadFileViews(int fd, std::uint64_t size) {
  const std::string path = PathOf("");
  EOFZERO_ASSIGN_OR_RETURN(os::FileStat st, sys().Stat(fd, path));
  const std::uint32_t align =
      std::max({bs_, st.dio_offset_align, st.dio_mem_align, DeviceAlign()});
  const auto ranges = RangesTouched(run_.history, align, kFileViewLimit);
  for (const ByteRange& r : ranges) {
    if (r.begin >= size) break;
    EOFZERO_ASSIGN_OR_RETURN(os::DirectReadResult direct,
                             sys().ReadDirect(path, r.begin, r.size(), align));
    direct.buffer.resize(std::min<std::uint64_t>(direct.count, r.size()));
    run_.file_views.push_back({Oracle::kDirectRead, Phase::kAfterCrash, r.begin,
                               std::move(direct.buffer), size, run_.history.events.size()});
  }
  EOFZERO_RETURN_IF_ERROR(sys().DropCachedPages(fd, path));
  for (const ByteRange& r : ranges) {
    if (r.begin >= size) break;
    EOFZERO_ASSIGN_OR_RETURN(Bytes buffered, sys().Read(fd, r.begin, r.size(), path));
    run_.file_views.push_back({Oracle::kBufferedRead, Phase::kAfterCrash, r.begin,
                               std::move(buffered), size, run_.history.events.size()});
  }
  return {};
}

}  // namespace eofzero::engine
