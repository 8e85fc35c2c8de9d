#include "explore/space.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <tuple>

namespace eofzero::explore {
namespace {

constexpr std::uint64_t kPage = 4096;  // the EOF page an mwrite may store into

constexpr OpInfo kOps[] = {
    {Op::kPwrite, "pwrite", "pwrite", true, true, true},
    {Op::kPwriteDirect, "pwrite", "pwrite O_DIRECT", true, true, true},
    {Op::kPwriteAppend, "pwrite", "pwrite O_APPEND", false, true, true},
    {Op::kPwriteRwfAppend, "pwrite", "pwrite RWF_APPEND", false, true, true},
    {Op::kMwrite, "mwrite", "mwrite", true, true, false},
    {Op::kTruncate, "truncate", "truncate", true, false, false},
    {Op::kFalloc, "falloc", "falloc", true, true, false},
    {Op::kFallocKeep, "falloc", "falloc -k", true, true, false},
    {Op::kFzero, "fzero", "fzero", true, true, false},
    {Op::kFzeroKeep, "fzero", "fzero -k", true, true, false},
    {Op::kFpunch, "fpunch", "fpunch", true, true, false},
    {Op::kFcollapse, "fcollapse", "fcollapse", true, true, false},
    {Op::kFinsert, "finsert", "finsert", true, true, false},
    {Op::kCopyRange, "copy_range", "copy_range", true, true, false},
    {Op::kReflink, "reflink", "reflink", true, true, false},
};

constexpr const char* kOffsetNames[] = {"eof",        "in-block",   "block-start", "prev-block",
                                        "next-block", "next-folio", "far"};
constexpr const char* kLengthNames[] = {"1", "512", "bs-1", "bs", "bs+1", "folio", "folio+1"};
constexpr const char* kPersistNames[] = {"none",      "fsync",      "fdatasync", "o_dsync",
                                         "rwf_dsync", "sync_range", "syncfs"};

std::uint64_t RoundUp(std::uint64_t v, std::uint64_t unit) { return (v + unit - 1) / unit * unit; }

std::uint64_t OffsetAtSize(Offset o, std::uint64_t size, const Geometry& g) {
  const std::uint64_t bs = g.block_size;
  const std::uint64_t eob = RoundUp(size, bs);
  switch (o) {
    case Offset::kEof:
      return size;
    case Offset::kInBlock:  // past EOF, inside the block that holds it
      return size + (eob - size) / 2;
    case Offset::kBlockStart:  // the block that holds the last byte
      return size == 0 ? 0 : (size - 1) / bs * bs;
    case Offset::kPrevBlock: {  // the one before it (the start of the file at most)
      const std::uint64_t start = size == 0 ? 0 : (size - 1) / bs * bs;
      return start >= bs ? start - bs : 0;
    }
    case Offset::kNextBlock:
      return eob;
    case Offset::kNextFolio:
      return eob - eob % g.folio + g.folio;
    case Offset::kFar:
      return eob - eob % g.far + 2 * g.far;
  }
  return size;
}

std::uint64_t LengthInBytes(Length l, const Geometry& g) {
  const std::uint64_t bs = g.block_size;
  switch (l) {
    case Length::k1:
      return 1;
    case Length::k512:
      return 512;
    case Length::kBsMinus1:
      return bs - 1;
    case Length::kBs:
      return bs;
    case Length::kBsPlus1:
      return bs + 1;
    case Length::kFolio:
      return g.folio;
    case Length::kFolioPlus1:
      return g.folio + 1;
  }
  return 1;
}

bool Aligned(std::uint64_t v, std::uint64_t unit) { return v % unit == 0; }

std::uint64_t SaturatingAdd(std::uint64_t a, std::uint64_t b) {
  return a > std::numeric_limits<std::uint64_t>::max() - b ? std::numeric_limits<std::uint64_t>::max()
                                                           : a + b;
}

}  // namespace

std::uint64_t OffsetValue(Offset o, std::uint64_t size, const Geometry& g) {
  return OffsetAtSize(o, size, g);
}
std::uint64_t LengthValue(Length l, const Geometry& g) { return LengthInBytes(l, g); }

std::span<const OpInfo> Ops() { return kOps; }
const OpInfo& InfoOf(Op op) { return kOps[static_cast<std::size_t>(op)]; }
std::span<const char* const> OffsetNames() { return kOffsetNames; }
std::span<const char* const> LengthNames() { return kLengthNames; }
std::span<const char* const> PersistNames() { return kPersistNames; }
const char* NameOf(Offset o) { return kOffsetNames[static_cast<std::size_t>(o)]; }
const char* NameOf(Length l) { return kLengthNames[static_cast<std::size_t>(l)]; }
const char* NameOf(Persist p) { return kPersistNames[static_cast<std::size_t>(p)]; }

std::optional<Concrete> Concretize(const Action& a, std::uint64_t size, const Geometry& g) {
  const OpInfo& info = InfoOf(a.op);
  if ((a.persist == Persist::kODsync || a.persist == Persist::kRwfDsync) && !info.data_write)
    return std::nullopt;
  const std::uint64_t bs = g.block_size;
  if (info.offset && a.offset == Offset::kPrevBlock &&
      OffsetAtSize(Offset::kBlockStart, size, g) < bs)
    return std::nullopt;  // the EOF block is the first: there is no block before it
  Concrete c{a};
  c.size_before = size;
  c.offset = info.offset ? OffsetAtSize(a.offset, size, g) : size;
  c.length = info.length ? LengthInBytes(a.length, g) : 0;
  const std::uint64_t end = c.offset + c.length;
  c.range_begin = c.offset;
  c.range_end = end;
  switch (a.op) {
    case Op::kPwriteDirect:
      if (!Aligned(c.offset, g.direct_align) || !Aligned(c.length, g.direct_align))
        return std::nullopt;  // EINVAL
      [[fallthrough]];
    case Op::kPwrite:
    case Op::kPwriteAppend:
    case Op::kPwriteRwfAppend:
    case Op::kFalloc:
    case Op::kFzero:
      c.size_after = std::max(size, end);
      break;
    case Op::kCopyRange:
      if (c.length > g.source_size) return std::nullopt;
      c.size_after = std::max(size, end);
      break;
    case Op::kReflink:
      if (!g.reflink || !Aligned(c.offset, bs) ||
          !(Aligned(c.length, bs) || c.length == g.source_size) || c.length > g.source_size)
        return std::nullopt;  // EOPNOTSUPP, EINVAL
      c.size_after = std::max(size, end);
      break;
    case Op::kMwrite:
      if (size == 0 || end > RoundUp(size, kPage)) return std::nullopt;  // SIGBUS
      c.size_after = size;
      break;
    case Op::kTruncate:
      if (c.offset == size) return std::nullopt;  // changes nothing
      // An empty file has no gap for `check gap` to read (its mmap read
      // has no page): the run could only be an ERROR.
      if (c.offset == 0) return std::nullopt;
      c.size_after = c.offset;
      c.range_begin = std::min(size, c.offset);
      c.range_end = std::max(size, c.offset);
      break;
    case Op::kFallocKeep:
    case Op::kFzeroKeep:
    case Op::kFpunch:
      c.size_after = size;
      break;
    case Op::kFcollapse:
      if (!Aligned(c.offset, bs) || !Aligned(c.length, bs) || end >= size)
        return std::nullopt;  // EINVAL: unaligned, or reaching EOF
      c.size_after = size - c.length;
      c.range_end = size;
      break;
    case Op::kFinsert:
      if (!Aligned(c.offset, bs) || !Aligned(c.length, bs) || c.offset >= size)
        return std::nullopt;  // EINVAL: unaligned, or at or past EOF
      c.size_after = size + c.length;
      c.range_end = c.size_after;
      break;
  }
  if (c.size_after > g.max_size || end > g.max_size) return std::nullopt;
  return c;
}

Bounds DefaultBounds() {
  Bounds b;
  for (const OpInfo& o : kOps) b.ops.push_back(o.op);
  for (std::size_t i = 0; i < std::size(kOffsetNames); ++i) b.offsets.push_back(Offset(i));
  for (std::size_t i = 0; i < std::size(kLengthNames); ++i) b.lengths.push_back(Length(i));
  for (std::size_t i = 0; i < std::size(kPersistNames); ++i) b.persists.push_back(Persist(i));
  return b;
}

std::vector<Concrete> Choices(std::uint64_t size, const Bounds& b, const Geometry& g) {
  std::vector<Concrete> out;
  std::set<std::tuple<Op, std::uint64_t, std::uint64_t, Persist>> seen;
  for (Op op : b.ops) {
    const OpInfo& info = InfoOf(op);
    const std::vector<Offset> offsets =
        info.offset ? b.offsets : std::vector<Offset>{Offset::kEof};
    const std::vector<Length> lengths =
        info.length || b.lengths.empty() ? b.lengths : std::vector<Length>{b.lengths.front()};
    for (Offset o : offsets)
      for (Length l : lengths)
        for (Persist p : b.persists) {
          auto c = Concretize({op, o, l, p}, size, g);
          if (c && seen.insert({op, c->offset, c->length, p}).second) out.push_back(*c);
        }
  }
  return out;
}

Space::Space(Bounds bounds, Geometry geometry)
    : bounds_(std::move(bounds)), geometry_(geometry) {}

const std::vector<Concrete>& Space::ChoicesAt(std::uint64_t size) {
  auto it = choices_.find(size);
  if (it == choices_.end()) it = choices_.emplace(size, Choices(size, bounds_, geometry_)).first;
  return it->second;
}

std::uint64_t Space::Completions(int depth, std::uint64_t size) {
  if (depth <= 0) return 1;
  if (auto it = completions_.find({depth, size}); it != completions_.end()) return it->second;
  std::uint64_t n = 0;
  const std::vector<Concrete> choices = ChoicesAt(size);
  for (const Concrete& c : choices) n = SaturatingAdd(n, Completions(depth - 1, c.size_after));
  completions_[{depth, size}] = n;
  return n;
}

std::uint64_t Space::Count(int depth) { return Completions(depth, geometry_.old_eof); }

std::vector<std::vector<Concrete>> Space::Sample(int depth, std::uint64_t n, std::uint64_t seed) {
  std::vector<std::vector<Concrete>> out;
  const std::uint64_t total = Count(depth);
  if (n >= total) {
    ForEach(depth, [&](const std::vector<Concrete>& w) {
      out.push_back(w);
      return true;
    });
    return out;
  }
  // n distinct ranks in [0, total), each equally likely; a rank is turned
  // into its workload by walking the counts of completions.
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::uint64_t> pick(0, total - 1);
  std::set<std::uint64_t> ranks;
  while (ranks.size() < n) ranks.insert(pick(rng));
  for (std::uint64_t rank : ranks) {
    std::vector<Concrete> w;
    std::uint64_t size = geometry_.old_eof;
    for (int left = depth; left > 0; --left) {
      const std::vector<Concrete> choices = ChoicesAt(size);
      for (const Concrete& c : choices) {
        const std::uint64_t below = Completions(left - 1, c.size_after);
        if (rank < below) {
          w.push_back(c);
          size = c.size_after;
          break;
        }
        rank -= below;
      }
    }
    out.push_back(std::move(w));
  }
  return out;
}

std::string Describe(const std::vector<Concrete>& workload) {
  std::vector<std::string> parts;
  for (const Concrete& c : workload) {
    const OpInfo& info = InfoOf(c.action.op);
    std::string s = info.label;
    if (info.offset) s += fmt::format(" {}:{}", NameOf(c.action.offset), c.offset);
    if (info.length) s += fmt::format(" {}:{}", NameOf(c.action.length), c.length);
    if (c.action.persist != Persist::kNone) s += fmt::format(" +{}", NameOf(c.action.persist));
    parts.push_back(std::move(s));
  }
  return fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace eofzero::explore
