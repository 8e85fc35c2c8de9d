#include "explore/classify.h"

#include <fmt/format.h>

#include <optional>
#include <string_view>

namespace eofzero::explore {
namespace {

using engine::Step;
using engine::StepRole;

struct Reader {
  const engine::Variables& vars;
  const Geometry& g;

  std::expected<std::uint64_t, std::string> Number(const engine::Expr& e) const {
    auto v = e.Eval(vars);
    if (!v) return std::unexpected(v.error());
    return static_cast<std::uint64_t>(*v);
  }
  std::expected<std::uint64_t, std::string> Flag(const Step& s, char f) const {
    const auto& value = s.flags.at(f);
    if (!value) return std::unexpected(fmt::format("-{} without a value", f));
    return Number(*value);
  }
};

std::optional<Offset> OffsetClass(std::uint64_t offset, std::uint64_t size, const Geometry& g) {
  for (std::size_t i = 0; i < OffsetNames().size(); ++i)
    if (OffsetValue(Offset(i), size, g) == offset) return Offset(i);
  return std::nullopt;
}
std::optional<Length> LengthClass(std::uint64_t length, const Geometry& g) {
  for (std::size_t i = 0; i < LengthNames().size(); ++i)
    if (LengthValue(Length(i), g) == length) return Length(i);
  return std::nullopt;
}

// Which operation a step is, given the open mode of its descriptor.
std::optional<Op> OpOf(const Step& s, const std::string& open_flags) {
  const std::string_view name = s.def->name;
  if (name == "pwrite") {
    if (s.Has('P')) return Op::kPwriteRwfAppend;
    if (open_flags.find('d') != std::string::npos) return Op::kPwriteDirect;
    if (open_flags.find('a') != std::string::npos) return Op::kPwriteAppend;
    return Op::kPwrite;
  }
  if (name == "mwrite") return Op::kMwrite;
  if (name == "truncate") return Op::kTruncate;
  if (name == "falloc") return s.Has('k') ? Op::kFallocKeep : Op::kFalloc;
  if (name == "fzero") return s.Has('k') ? Op::kFzeroKeep : Op::kFzero;
  if (name == "fpunch") return Op::kFpunch;
  if (name == "fcollapse") return Op::kFcollapse;
  if (name == "finsert") return Op::kFinsert;
  if (name == "copy_range") return Op::kCopyRange;
  if (name == "reflink") return Op::kReflink;
  return std::nullopt;
}

std::optional<Persist> PersistOf(const Step& s) {
  const std::string_view name = s.def->name;
  if (name == "fsync") return Persist::kFsync;
  if (name == "fdatasync") return Persist::kFdatasync;
  if (name == "syncfs") return Persist::kSyncfs;
  if (name == "sync_range") return Persist::kSyncRange;
  return std::nullopt;
}

// An operation as classified: its classes where its numbers are some.
struct Classified {
  Concrete c;
  bool offset_known = true, length_known = true;
};

std::expected<std::vector<Classified>, std::string> Walk(const engine::CaseSpec& spec,
                                                         const engine::Variables& vars,
                                                         const Geometry& g, bool lenient) {
  const Reader r{vars, g};
  std::vector<Classified> out;
  std::string open_flags;  // of main's descriptor: from `open` steps
  std::string file = "main";
  std::uint64_t size = g.old_eof;
  bool planted = false;
  auto fail = [&](const Step& s, const std::string& why) {
    return std::unexpected(fmt::format("line {} '{}': {}", s.line, s.text, why));
  };
  for (const Step& s : spec.steps) {
    const std::string_view name = s.def->name;
    if (s.def->role == StepRole::kPlant) {
      planted = true;
      continue;
    }
    if (name == "open" || name == "file") {
      file = s.words[0];
      if (name == "open" && file == "main") {
        open_flags.clear();
        for (char f : std::string_view("adsy"))
          if (s.Has(f)) open_flags += f;
      }
      if (planted && file != "main") return fail(s, "the explorer acts on the main file only");
      continue;
    }
    if (!planted) continue;
    if (s.def->role == StepRole::kShutdown) break;
    if (s.def->role != StepRole::kAction || name == "pread" || name == "mmap" || name == "msync" ||
        name == "munmap")
      continue;
    if (auto persist = PersistOf(s)) {
      if (out.empty()) return fail(s, "a flush before any operation");
      if (out.back().c.action.persist != Persist::kNone)
        return fail(s, "a second persistence for one operation");
      out.back().c.action.persist = *persist;
      continue;
    }
    auto op = OpOf(s, open_flags);
    if (!op) return fail(s, "not an operation of the explorer's");
    const OpInfo& info = InfoOf(*op);
    Action a{*op};
    std::uint64_t offset = size, length = 0;
    if (name == "copy_range") {
      auto d = r.Flag(s, 'd'), l = r.Flag(s, 'l');
      if (!d || !l) return fail(s, "copy_range without -d and -l");
      offset = *d;
      length = *l;
    } else if (name == "reflink") {
      auto src = r.Number(s.numbers[0]), dst = r.Number(s.numbers[1]),
           len = r.Number(s.numbers[2]);
      if (!src || !dst || !len) return fail(s, "a number that does not evaluate");
      if (*src != 0) return fail(s, "a source offset other than 0");
      offset = *dst;
      length = *len;
    } else {
      if (!s.numbers.empty()) {
        auto o = r.Number(s.numbers[0]);
        if (!o) return fail(s, o.error());
        offset = *o;
      }
      if (s.numbers.size() > 1) {
        auto l = r.Number(s.numbers[1]);
        if (!l) return fail(s, l.error());
        length = *l;
      }
    }
    Classified item;
    if (info.offset) {
      auto o = OffsetClass(offset, size, g);
      if (!o && !lenient) return fail(s, fmt::format("offset {} is no class at size {}", offset, size));
      item.offset_known = o.has_value();
      a.offset = o.value_or(Offset::kEof);
    }
    if (info.length) {
      auto l = LengthClass(length, g);
      if (!l && !lenient) return fail(s, fmt::format("length {} is no class", length));
      item.length_known = l.has_value();
      a.length = l.value_or(Length::k1);
    }
    if (name == "pwrite") {
      if (s.Has('D')) a.persist = Persist::kRwfDsync;
      if (open_flags.find('y') != std::string::npos) a.persist = Persist::kODsync;
      if (s.Has('w')) a.persist = Persist::kFdatasync;
      if (s.Has('W')) a.persist = Persist::kFsync;
    }
    if (item.offset_known && item.length_known) {
      auto c = Concretize(a, size, g);
      if (!c) return fail(s, "not a valid choice of the explorer's at this size");
      item.c = *c;
    } else {  // lenient: the numbers as they are, the size as the operation leaves it
      item.c = Concrete{a, offset, length, size, size};
      const std::uint64_t end = offset + length;
      if (*op == Op::kTruncate) item.c.size_after = offset;
      else if (*op == Op::kFcollapse) item.c.size_after = size - std::min(size, length);
      else if (*op == Op::kFinsert) item.c.size_after = size + length;
      else if (*op != Op::kFallocKeep && *op != Op::kFzeroKeep && *op != Op::kFpunch &&
               *op != Op::kMwrite)
        item.c.size_after = std::max(size, end);
    }
    size = item.c.size_after;
    out.push_back(item);
  }
  if (out.empty()) return std::unexpected("no operation between the plant and the crash");
  return out;
}

}  // namespace

std::expected<std::vector<Concrete>, std::string> ClassifyCase(const engine::CaseSpec& spec,
                                                               const engine::Variables& vars,
                                                               const Geometry& g) {
  auto walked = Walk(spec, vars, g, false);
  if (!walked) return std::unexpected(walked.error());
  std::vector<Concrete> out;
  for (const Classified& item : *walked) out.push_back(item.c);
  return out;
}

std::expected<CaseShape, std::string> ShapeOfCase(const engine::CaseSpec& spec,
                                                  const engine::Variables& vars,
                                                  const Geometry& g) {
  auto walked = Walk(spec, vars, g, true);
  if (!walked) return std::unexpected(walked.error());
  CaseShape shape{{}, "-", "-"};
  for (const engine::Step& s : spec.steps)
    if (s.def->role == engine::StepRole::kShutdown)
      for (CrashMode m : {CrashMode::kFreeze, CrashMode::kLogflush, CrashMode::kNologflush})
        if (s.text == ShutdownStep(m)) shape.crash = NameOf(m);
  for (const Classified& item : *walked) {
    const OpInfo& info = InfoOf(item.c.action.op);
    shape.ops.push_back(info.label);
    if (info.offset) shape.distance = item.offset_known ? NameOf(item.c.action.offset) : "other";
  }
  return shape;
}

}  // namespace eofzero::explore
