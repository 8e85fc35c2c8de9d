#include "report/log_listing.h"

#include <fmt/format.h>

#include "scratch/log_replay.h"

namespace eofzero::report {
namespace {

using scratch::LogRecord;
using scratch::RecordType;

// The first bytes of a payload, to tell writes apart at a glance.
std::string Preview(const LogRecord& r) {
  if (r.flags & scratch::kWriteZeros) return "zeros";
  std::string s;
  for (std::size_t i = 0; i < r.payload.size() && i < 8; ++i) s += fmt::format("{:02x}", r.payload[i]);
  return s + (r.payload.size() > 8 ? "..." : "");
}

std::string Summary(const std::string& name, const scratch::ParsedLog& log) {
  std::uint64_t written = 0;
  for (const auto& r : log.records)
    if (r.type == RecordType::kWrite) written += r.length;
  std::string s = fmt::format(
      "{}: image {} bytes, sectors of {}, blocks of {}, base all zeros; {} records, {} barriers, "
      "{} bytes written",
      name, log.header.image_bytes, log.header.sector_size, log.header.block_size,
      log.records.size(), scratch::BarrierCount(log), written);
  if (!log.damage.empty())
    s += "; damaged: " + log.damage + " (what follows it is not read)";
  else if (!log.ended)
    s += "; cut short (no end record: the recorder did not close it)";
  return s + "\n";
}

}  // namespace

std::string RenderLogListing(const std::string& name, const scratch::ParsedLog& log) {
  std::string out = Summary(name, log);
  std::uint64_t epoch = 0, change = 0;
  out += "epoch 0 (from the start to barrier 1)\n";
  for (const auto& r : log.records) {
    switch (r.type) {
      case RecordType::kStep:
        out += fmt::format("  step {}: {}\n", r.offset,
                           std::string(r.payload.begin(), r.payload.end()));
        break;
      case RecordType::kBarrier:
        ++epoch;
        change = 0;
        out += fmt::format("  barrier {} ({})\n", epoch,
                           r.flags & scratch::kBarrierData ? "fdatasync" : "fsync");
        out += fmt::format("epoch {} (from barrier {})\n", epoch, epoch);
        break;
      case RecordType::kWrite:
        out += fmt::format("    {:>5} write      {:>12} +{:<8} {}\n", change++, r.offset, r.length,
                           Preview(r));
        break;
      case RecordType::kDiscard:
      case RecordType::kZeroRange:
        out += fmt::format("    {:>5} {:<10} {:>12} +{}\n", change++, RecordTypeName(r.type),
                           r.offset, r.length);
        break;
      case RecordType::kEnd:
        break;
    }
  }
  return out;
}

}  // namespace eofzero::report
