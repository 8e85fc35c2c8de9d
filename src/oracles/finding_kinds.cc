#include "oracles/finding_kinds.h"

#include "oracles/disk_views.h"

namespace eofzero::oracles {
namespace {

// kCacheDisagrees as a C string (the table's fields are).
constexpr char kViewsPhrase[] = "the block device's cache disagrees with the disk after recovery";
static_assert(std::string_view(kViewsPhrase) == kCacheDisagrees);

constexpr FindingKindInfo kTable[] = {
    {FindingKind::kGap, "gap", 'G', "gap", "not zero", true, "stale_after_crash"},
    {FindingKind::kSize, "size", 'Z', "size", "expected", true, "wrong_size"},
    {FindingKind::kFsck, "fsck", 'F', "fsck", "fsck found corruption after the crash", true,
     "corrupt_directory"},
    {FindingKind::kDisagreement, "disagreement", 'D', "views disagree",
     "independent views disagree", false, nullptr},
    {FindingKind::kInvariant, "invariant", 'I', "invariant", "broken", true,
     "lose_promised_data"},
    {FindingKind::kViews, "views", 'V', "two views", kViewsPhrase, true, "cache_only"},
    {FindingKind::kRace, "race", 'R', "race", "race", true, "lose_sector_write"},
};

}  // namespace

std::span<const FindingKindInfo> FindingKinds() { return kTable; }

const FindingKindInfo& InfoOf(FindingKind kind) { return kTable[static_cast<int>(kind)]; }

const char* FindingKindName(FindingKind kind) { return InfoOf(kind).name; }

std::optional<FindingKind> ParseFindingKind(std::string_view name) {
  for (const auto& k : kTable)
    if (name == k.name) return k.kind;
  return std::nullopt;
}

std::string FindingKindNames() {
  std::string s;
  for (const auto& k : kTable) s += (s.empty() ? "" : ", ") + std::string(k.name);
  return s;
}

}  // namespace eofzero::oracles
