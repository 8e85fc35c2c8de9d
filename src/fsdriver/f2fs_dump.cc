#include "fsdriver/f2fs_dump.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "fsdriver/units.h"

namespace eofzero::fsdriver {
namespace {

constexpr std::uint32_t kInlineXattr = 0x01;
constexpr std::uint32_t kInlineData = 0x02;
constexpr std::uint32_t kInlineDentry = 0x04;
constexpr std::uint32_t kExtraAttr = 0x20;
// f2fs.h: DEF_ADDRS_PER_INODE, DEFAULT_INLINE_XATTR_ADDRS; NEW_ADDR (a
// block reserved, not written: fallocate), COMPRESS_ADDR (a compressed
// cluster's first slot).
constexpr std::uint32_t kAddrsPerInode = 923;
constexpr std::uint32_t kDefaultInlineXattrAddrs = 50;
constexpr std::uint32_t kNewAddr = 0xFFFFFFFF;
constexpr std::uint32_t kCompressAddr = 0xFFFFFFFE;

// "name   [0x    1388 : 5000]" or "i_addr[0x5] points data block [0x1c05]":
// the hexadecimal value in the last "[0x".
std::optional<std::uint64_t> HexValue(std::string_view line) {
  const auto open = line.rfind("[0x");
  if (open == std::string_view::npos) return std::nullopt;
  std::string_view rest = line.substr(open + 3);
  rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), v, 16);
  if (ec != std::errc() || end == rest.data()) return std::nullopt;
  return v;
}

// The index in "i_addr[0x1c]".
std::optional<std::uint32_t> AddrIndex(std::string_view line) {
  constexpr std::string_view kPrefix = "i_addr[0x";
  if (!line.starts_with(kPrefix)) return std::nullopt;
  std::string_view rest = line.substr(kPrefix.size());
  std::uint32_t v = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), v, 16);
  if (ec != std::errc() || end == rest.data() || *end != ']') return std::nullopt;
  return v;
}

// The field a line prints: its first word ("i_size").
std::string_view Field(std::string_view line) {
  return line.substr(0, std::min(line.find_first_of(" \t"), line.size()));
}

}  // namespace

os::Result<F2fsInode> ParseF2fsInode(std::string_view out, std::uint64_t inode) {
  F2fsInode node;
  bool is_inode = false, sized = false;
  for (std::string_view line : SplitLines(out)) {
    // "Node ID [0x7:7] is inode": a free node id prints the zeroed block it
    // reads as node 0's.
    if (const auto at = line.find("Node ID [0x");
        at != std::string_view::npos && line.find("] is inode") != std::string_view::npos) {
      std::uint64_t id = 0;
      const char* first = line.data() + at + 11;
      auto [end, ec] = std::from_chars(first, line.data() + line.size(), id, 16);
      is_inode = ec == std::errc() && end != first && id == inode;
    }
    if (auto index = AddrIndex(line)) {
      auto v = HexValue(line);
      if (!v) return os::Fail(os::ErrorKind::kChild, "dump.f2fs: cannot read '" + std::string(line) + "'");
      if (*v != 0) node.addrs[*index] = static_cast<std::uint32_t>(*v);
      continue;
    }
    const std::string_view field = Field(line);
    if (field != "i_size" && field != "i_inline" && field != "i_extra_isize" &&
        field != "i_inline_xattr_size")
      continue;
    auto v = HexValue(line);
    if (!v) return os::Fail(os::ErrorKind::kChild, "dump.f2fs: cannot read '" + std::string(line) + "'");
    if (field == "i_size") {
      node.size = *v;
      sized = true;
    } else if (field == "i_inline") {
      node.inline_flags = static_cast<std::uint32_t>(*v);
    } else if (field == "i_extra_isize") {
      node.extra_isize = static_cast<std::uint32_t>(*v);
    } else {
      node.inline_xattr_size = static_cast<std::uint32_t>(*v);
    }
  }
  if (!is_inode || !sized)
    return os::Fail(os::ErrorKind::kChild,
                    "dump.f2fs prints no inode " + std::to_string(inode) + " (a free node id?)");
  if (!(node.inline_flags & kExtraAttr)) node.extra_isize = 0;
  return node;
}

os::Result<F2fsBlock> F2fsBlockOf(const F2fsInode& inode, std::uint64_t index) {
  F2fsBlock b;
  if (inode.inline_flags & (kInlineData | kInlineDentry)) {
    b.how = "inline data";
    return b;
  }
  // The addresses start after the extra attributes and end before the
  // inline xattrs (ADDRS_PER_INODE).
  const std::uint32_t first = inode.extra_isize / 4;
  const std::uint32_t xattr =
      (inode.inline_flags & kInlineXattr) ? inode.inline_xattr_size.value_or(kDefaultInlineXattrAddrs) : 0;
  const std::uint32_t own = kAddrsPerInode - first - xattr;
  if (index >= own)
    return os::Fail(os::ErrorKind::kUnsupported,
                    "dump.f2fs offline read: file block " + std::to_string(index) +
                        " is mapped through a node block (the inode itself holds blocks 0 to " +
                        std::to_string(own - 1) + ")");
  const auto at = [&](std::uint64_t i) -> std::uint32_t {
    auto it = inode.addrs.find(static_cast<std::uint32_t>(first + i));
    return it == inode.addrs.end() ? 0 : it->second;
  };
  const std::uint32_t address = at(index);
  if (address == 0) {
    b.how = "hole";
    return b;
  }
  if (address == kCompressAddr)
    return os::Fail(os::ErrorKind::kUnsupported,
                    "dump.f2fs offline read: file block " + std::to_string(index) +
                        " is in a compressed cluster");
  if (address == kNewAddr) {
    b.how = "unwritten";
    return b;
  }
  b.address = address;
  for (std::uint64_t i = index; i < own && at(i) == address + (i - index); ++i) ++b.run;
  return b;
}

std::string F2fsMetadataLines(std::string_view out) {
  std::string kept;
  for (std::string_view line : SplitLines(out)) {
    if (line.starts_with("Done: ")) continue;
    kept.append(line);
    kept += '\n';
  }
  return kept;
}

}  // namespace eofzero::fsdriver
