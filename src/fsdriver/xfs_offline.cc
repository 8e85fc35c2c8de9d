#include "fsdriver/xfs_offline.h"

#include "fsdriver/xfs_db.h"

namespace eofzero::fsdriver {

os::Result<XfsOfflineBlock> LocateXfsBlockOffline(os::System& system, const std::string& device,
                                                  std::uint64_t inode, std::uint64_t block_index) {
  // One xfs_db run for both: the geometry, then the inode's size and map.
  EOFZERO_ASSIGN_OR_RETURN(
      auto run, RunXfsDbReadOnly(system, device,
                                     {"sb 0", "print agblocks agblklog blocksize",
                                      "inode " + std::to_string(inode), "print core.size", "bmap"}));
  const auto [geo_out, map_out] = SplitXfsGeometry(run.out);
  EOFZERO_ASSIGN_OR_RETURN(auto geo, ParseXfsGeometry(geo_out));
  EOFZERO_ASSIGN_OR_RETURN(auto map, ParseXfsInodeMap(map_out));

  XfsOfflineBlock block;
  block.inode = inode;
  block.size = map.size;
  block.block_size = geo.blocksize;
  block.block_index = block_index;
  block.extent = FindXfsExtent(map, block_index);
  if (block.extent) {
    EOFZERO_ASSIGN_OR_RETURN(auto start, XfsExtentByteOffset(geo, *block.extent));
    block.byte_offset = start + (block_index - block.extent->file_block) * geo.blocksize;
    block.unwritten = block.extent->unwritten;
  }
  return block;
}

}  // namespace eofzero::fsdriver
