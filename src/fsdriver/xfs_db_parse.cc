#include "fsdriver/xfs_db_parse.h"

#include <charconv>
#include <string>

#include "fsdriver/units.h"

namespace eofzero::fsdriver {
namespace {

std::unexpected<os::Error> Bad(std::string_view what, std::string_view line) {
  return os::Fail(os::ErrorKind::kChild,
                  "xfs_db output: " + std::string(what) + ": \"" + std::string(line) + "\"");
}

std::optional<std::uint64_t> ToNumber(std::string_view s) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> words;
  while (true) {
    auto start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos) break;
    line.remove_prefix(start);
    auto end = line.find_first_of(" \t");
    words.push_back(line.substr(0, end));
    if (end == std::string_view::npos) break;
    line.remove_prefix(end);
  }
  return words;
}

// "name = 123" -> 123 when the line names `name`.
std::optional<std::string_view> FieldValue(std::string_view line, std::string_view name) {
  auto w = Words(line);
  if (w.size() != 3 || w[0] != name || w[1] != "=") return std::nullopt;
  return w[2];
}

// xfs_db reports a bad request on stdout and still exits 0.
bool IsComplaint(std::string_view line) {
  return line.starts_with("bad ") || line.starts_with("no current") ||
         line.find("not a valid") != std::string_view::npos ||
         line.find("invalid") != std::string_view::npos;
}

os::Result<XfsBmapExtent> ParseBmapLine(std::string_view line) {
  // data offset O startblock S (A/B) count C flag F
  auto w = Words(line);
  if (w.size() != 10 || w[0] != "data" || w[1] != "offset" || w[3] != "startblock" ||
      w[6] != "count" || w[8] != "flag") {
    return Bad("unexpected bmap line", line);
  }
  std::string_view pair = w[5];
  auto slash = pair.find('/');
  if (pair.size() < 5 || pair.front() != '(' || pair.back() != ')' ||
      slash == std::string_view::npos) {
    return Bad("bad (agno/agbno)", line);
  }
  auto offset = ToNumber(w[2]);
  auto start = ToNumber(w[4]);
  auto agno = ToNumber(pair.substr(1, slash - 1));
  auto agbno = ToNumber(pair.substr(slash + 1, pair.size() - slash - 2));
  auto count = ToNumber(w[7]);
  auto flag = ToNumber(w[9]);
  if (!offset || !start || !agno || !agbno || !count || !flag || *flag > 1 || *count == 0) {
    return Bad("bad number in bmap line", line);
  }
  return XfsBmapExtent{*offset, *start, *agno, *agbno, *count, *flag == 1};
}

}  // namespace

os::Result<XfsGeometry> ParseXfsGeometry(std::string_view out) {
  std::optional<std::uint64_t> agblocks, agblklog, blocksize;
  for (auto line : SplitLines(out)) {
    if (line.empty()) continue;
    if (IsComplaint(line)) return Bad("xfs_db refused", line);
    for (auto [name, slot] : {std::pair{"agblocks", &agblocks}, std::pair{"agblklog", &agblklog},
                              std::pair{"blocksize", &blocksize}}) {
      if (auto v = FieldValue(line, name)) {
        *slot = ToNumber(*v);
        if (!*slot) return Bad("bad number", line);
      }
    }
  }
  if (!agblocks || !agblklog || !blocksize) return Bad("geometry incomplete", out);
  if (*agblocks == 0 || *agblklog > 31 || (*agblocks > (1ULL << *agblklog)) || *blocksize < 512 ||
      *blocksize > 65536 || (*blocksize & (*blocksize - 1)) != 0) {
    return Bad("implausible geometry", out);
  }
  return XfsGeometry{*agblocks, static_cast<std::uint32_t>(*agblklog),
                     static_cast<std::uint32_t>(*blocksize)};
}

std::pair<std::string_view, std::string_view> SplitXfsGeometry(std::string_view out) {
  std::size_t at = 0;
  while (at < out.size()) {
    const auto end = out.find('\n', at);
    const std::size_t next = end == std::string_view::npos ? out.size() : end + 1;
    if (out.substr(at).starts_with("blocksize = ")) return {out.substr(0, next), out.substr(next)};
    at = next;
  }
  return {out, {}};
}

os::Result<XfsInodeMap> ParseXfsInodeMap(std::string_view out) {
  XfsInodeMap map;
  bool have_size = false;
  for (auto line : SplitLines(out)) {
    if (line.empty()) continue;
    if (IsComplaint(line)) return Bad("xfs_db refused", line);
    if (auto v = FieldValue(line, "core.size")) {
      auto n = ToNumber(*v);
      if (!n || have_size) return Bad("bad core.size", line);
      map.size = *n;
      have_size = true;
      continue;
    }
    EOFZERO_ASSIGN_OR_RETURN(auto extent, ParseBmapLine(line));
    if (!map.extents.empty()) {
      const auto& prev = map.extents.back();
      if (extent.file_block < prev.file_block + prev.count) return Bad("extents overlap", line);
    }
    map.extents.push_back(extent);
  }
  if (!have_size) return Bad("no core.size", out);
  return map;
}

os::Result<std::uint64_t> XfsExtentByteOffset(const XfsGeometry& geo, const XfsBmapExtent& e) {
  if (e.agbno >= geo.agblocks || e.agbno + e.count > geo.agblocks ||
      ((e.agno << geo.agblklog) | e.agbno) != e.startblock) {
    return os::Fail(os::ErrorKind::kChild,
                    "xfs_db bmap: startblock " + std::to_string(e.startblock) + " (" +
                        std::to_string(e.agno) + "/" + std::to_string(e.agbno) +
                        ") does not fit agblocks " + std::to_string(geo.agblocks) + ", agblklog " +
                        std::to_string(geo.agblklog));
  }
  return (e.agno * geo.agblocks + e.agbno) * geo.blocksize;
}

std::optional<XfsBmapExtent> FindXfsExtent(const XfsInodeMap& map, std::uint64_t file_block) {
  for (const auto& e : map.extents) {
    if (file_block >= e.file_block && file_block - e.file_block < e.count) return e;
  }
  return std::nullopt;
}

}  // namespace eofzero::fsdriver
