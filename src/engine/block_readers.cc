#include "engine/block_readers.h"

#include <algorithm>

#include "os/bytes.h"
#include "os/file_io.h"

namespace eofzero::engine {
namespace {

std::uint64_t RoundDown(std::uint64_t v, std::uint64_t a) { return v / a * a; }

BlockView NewView(const BlockRequest& req, Oracle oracle) {
  BlockView v;
  v.oracle = oracle;
  v.phase = req.phase;
  v.base_offset = req.block_offset;
  v.gap = req.gap;
  return v;
}

// Copies [req.block_offset, +block_size) out of a buffer that starts at `buffer_offset`.
Bytes Slice(const Bytes& buffer, std::uint64_t buffer_offset, const BlockRequest& req) {
  std::uint64_t from = req.block_offset - buffer_offset;
  std::uint64_t to = std::min<std::uint64_t>(from + req.block_size, buffer.size());
  if (from >= buffer.size()) return {};
  return Bytes(buffer.begin() + static_cast<long>(from), buffer.begin() + static_cast<long>(to));
}

}  // namespace

os::Result<BlockView> ReadBuffered(os::System& sys, const BlockRequest& req) {
  BlockView v = NewView(req, Oracle::kBufferedRead);
  EOFZERO_ASSIGN_OR_RETURN(v.bytes,
                           sys.Read(req.fd, req.block_offset, req.block_size, req.path));
  if (v.bytes.size() < req.block_size)
    v.note = "pread stopped at EOF after " + std::to_string(v.bytes.size()) + " bytes";
  return v;
}

os::Result<BlockView> ReadMmapped(os::System& sys, const BlockRequest& req) {
  BlockView v = NewView(req, Oracle::kMmap);
  const std::uint64_t page = os::PageSize();
  const std::uint64_t map_offset = RoundDown(req.block_offset, page);
  const std::uint64_t map_length = RoundUp(req.block_offset + req.block_size, page) - map_offset;
  EOFZERO_ASSIGN_OR_RETURN(os::FileStat st, sys.Stat(req.fd, req.path));
  if (st.size <= map_offset)
    return os::Fail(os::ErrorKind::kInvalid,
                    "mmap " + req.path + ": size " + std::to_string(st.size) +
                        " ends before the page at " + std::to_string(map_offset));
  // Only pages that hold bytes below EOF may be touched.
  const std::uint64_t touchable = std::min(map_length, RoundUp(st.size, page) - map_offset);
  EOFZERO_ASSIGN_OR_RETURN(Bytes mapped,
                           sys.ReadThroughMmap(req.fd, map_offset, touchable, req.path));
  v.bytes = Slice(mapped, map_offset, req);
  return v;
}

os::Result<BlockView> ReadDirect(os::System& sys, const BlockRequest& req,
                                 std::uint32_t fallback_align) {
  BlockView v = NewView(req, Oracle::kDirectRead);
  EOFZERO_ASSIGN_OR_RETURN(os::FileStat st, sys.Stat(req.fd, req.path));
  std::uint32_t offset_align = st.dio_offset_align ? st.dio_offset_align : fallback_align;
  std::uint32_t mem_align = st.dio_mem_align ? st.dio_mem_align : fallback_align;
  mem_align = std::max(mem_align, offset_align);
  const std::uint64_t read_offset = RoundDown(req.block_offset, offset_align);
  const std::uint64_t read_length =
      RoundUp(req.block_offset + req.block_size, offset_align) - read_offset;
  EOFZERO_ASSIGN_OR_RETURN(os::DirectReadResult r,
                           sys.ReadDirect(req.path, read_offset, read_length, mem_align));
  v.bytes = Slice(r.buffer, read_offset, req);
  v.note = "O_DIRECT read of " + std::to_string(read_length) + " bytes at " +
           std::to_string(read_offset) + " (alignment mem " + std::to_string(mem_align) +
           ", offset " + std::to_string(offset_align) + ") returned " + std::to_string(r.count);
  return v;
}

}  // namespace eofzero::engine
