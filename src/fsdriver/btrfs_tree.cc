#include "fsdriver/btrfs_tree.h"

#include <charconv>
#include <regex>

#include "fsdriver/units.h"

namespace eofzero::fsdriver {
namespace {

std::unexpected<os::Error> BadTree(std::string_view what, std::string_view line) {
  return os::Fail(os::ErrorKind::kChild,
                  "btrfs dump-tree: " + std::string(what) + ": '" + std::string(line) + "'");
}

// The number after `key` (a word followed by a blank) in `line`.
std::optional<std::uint64_t> NumberAfter(std::string_view line, std::string_view key) {
  auto at = line.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  line.remove_prefix(at + key.size());
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(line.data(), line.data() + line.size(), v);
  if (ec != std::errc() || p == line.data()) return std::nullopt;
  return v;
}

std::string_view WordAfter(std::string_view line, std::string_view key) {
  auto at = line.find(key);
  if (at == std::string_view::npos) return {};
  line.remove_prefix(at + key.size());
  return line.substr(0, line.find_first_of(" \t"));
}

}  // namespace

os::Result<std::vector<BtrfsChunk>> ParseBtrfsChunks(std::string_view dump_tree) {
  const std::regex head(R"(item \d+ key \(FIRST_CHUNK_TREE CHUNK_ITEM (\d+)\))");
  std::vector<BtrfsChunk> out;
  for (auto line : SplitLines(dump_tree)) {
    std::match_results<std::string_view::const_iterator> m;
    if (std::regex_search(line.begin(), line.end(), m, head)) {
      out.emplace_back().logical = std::stoull(m[1].str());
      continue;
    }
    if (out.empty()) continue;
    BtrfsChunk& c = out.back();
    if (line.find("length ") != std::string_view::npos && line.find(" type ") != std::string_view::npos) {
      auto length = NumberAfter(line, "length ");
      if (!length) return BadTree("a chunk without a length", line);
      c.length = *length;
      c.type = std::string(WordAfter(line, " type "));
    } else if (line.find("stripe ") != std::string_view::npos &&
               line.find(" devid ") != std::string_view::npos) {
      auto devid = NumberAfter(line, " devid "), offset = NumberAfter(line, " offset ");
      if (!devid || !offset) return BadTree("a stripe without devid or offset", line);
      c.stripes.push_back({*devid, *offset});
    }
  }
  for (const auto& c : out)
    if (!c.length || c.stripes.empty())
      return BadTree("a chunk without its length or stripes", "CHUNK_ITEM " + std::to_string(c.logical));
  return out;
}

os::Result<BtrfsInode> ParseBtrfsInode(std::string_view dump_tree, std::uint64_t inode) {
  const std::string id = "key (" + std::to_string(inode) + " ";
  BtrfsInode out;
  bool found = false;
  enum { kNone, kInode, kExtent } in = kNone;
  for (auto line : SplitLines(dump_tree)) {
    if (line.find("item ") != std::string_view::npos && line.find(" key (") != std::string_view::npos) {
      in = kNone;
      if (line.find(id) == std::string_view::npos) continue;
      if (line.find(" INODE_ITEM ") != std::string_view::npos) {
        in = kInode;
      } else if (line.find(" EXTENT_DATA ") != std::string_view::npos) {
        auto off = NumberAfter(line, " EXTENT_DATA ");
        if (!off) return BadTree("an EXTENT_DATA key without an offset", line);
        out.extents.emplace_back().file_offset = *off;
        in = kExtent;
      }
      continue;
    }
    if (in == kInode && line.find(" size ") != std::string_view::npos &&
        line.find("nbytes") != std::string_view::npos) {
      auto size = NumberAfter(line, " size ");
      if (!size) return BadTree("an inode without a size", line);
      out.size = *size;
      found = true;
    } else if (in == kExtent) {
      BtrfsFileExtent& e = out.extents.back();
      if (line.find(" type ") != std::string_view::npos && line.find('(') != std::string_view::npos) {
        auto open = line.find('('), close = line.find(')');
        e.type = std::string(line.substr(open + 1, close - open - 1));
      } else if (line.find("extent data disk byte ") != std::string_view::npos) {
        auto b = NumberAfter(line, "disk byte ");
        if (!b) return BadTree("an extent without its disk byte", line);
        e.disk_bytenr = *b;
      } else if (line.find("extent data offset ") != std::string_view::npos) {
        auto o = NumberAfter(line, "data offset "), n = NumberAfter(line, " nr ");
        if (!o || !n) return BadTree("an extent without offset and nr", line);
        e.offset = *o;
        e.length = *n;
      } else if (line.find("extent compression ") != std::string_view::npos) {
        auto c = NumberAfter(line, "extent compression ");
        if (!c) return BadTree("an extent without its compression", line);
        e.compression = *c;
      } else if (line.find("inline extent data size ") != std::string_view::npos) {
        auto n = NumberAfter(line, "inline extent data size ");
        if (n) e.length = *n;
      }
    }
  }
  if (!found)
    return os::Fail(os::ErrorKind::kChild,
                    "btrfs dump-tree: no INODE_ITEM for inode " + std::to_string(inode));
  return out;
}

os::Result<std::pair<std::uint64_t, std::uint64_t>> MapBtrfsLogical(
    const std::vector<BtrfsChunk>& chunks, std::uint64_t logical) {
  for (const auto& c : chunks) {
    if (logical < c.logical || logical >= c.logical + c.length) continue;
    if (!c.type.starts_with("DATA") || c.stripes.size() != 1 ||
        (c.type != "DATA" && c.type != "DATA|single"))
      return os::Fail(os::ErrorKind::kUnsupported,
                      "btrfs logical address " + std::to_string(logical) + " is in a " + c.type +
                          " chunk with " + std::to_string(c.stripes.size()) +
                          " stripe(s): only a single-profile data chunk is planted into (a "
                          "DUP/RAID copy would keep the other bytes)");
    const std::uint64_t into = logical - c.logical;
    return std::pair{c.stripes[0].offset + into, c.length - into};
  }
  return os::Fail(os::ErrorKind::kUnsupported,
                  "btrfs logical address " + std::to_string(logical) +
                      " is in no chunk of the on-disk chunk tree");
}

std::optional<BtrfsFileExtent> FindBtrfsExtent(const BtrfsInode& inode, std::uint64_t offset) {
  for (const auto& e : inode.extents)
    if (e.file_offset <= offset && offset < e.file_offset + e.length) return e;
  return std::nullopt;
}

}  // namespace eofzero::fsdriver
