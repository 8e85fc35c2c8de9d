#include "report/log_listing.h"

#include <fmt/format.h>

#include <sstream>

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

}  // namespace

std::string EscapedText(ByteView bytes) {
  std::string s;
  s.reserve(bytes.size());
  for (std::uint8_t b : bytes) {
    if (b == '\\')
      s += "\\\\";
    else if (b >= 0x20 && b < 0x7f)
      s += static_cast<char>(b);
    else
      s += fmt::format("\\x{:02x}", b);
  }
  return s;
}

void LogListing::Header(const scratch::WriteLogHeader& header) {
  out_ << fmt::format("{}: image {} bytes, sectors of {}, blocks of {}, base all zeros\n", name_,
                      header.image_bytes, header.sector_size, header.block_size);
  out_ << "epoch 0 (from the start to barrier 1)\n";
}

void LogListing::Record(const LogRecord& r) {
  ++records_;
  switch (r.type) {
    case RecordType::kStep:
      out_ << fmt::format("  step {}: {}\n", r.offset, EscapedText(r.payload));
      break;
    case RecordType::kBarrier:
      ++barriers_;
      change_ = 0;
      out_ << fmt::format("  barrier {} ({})\n", barriers_,
                          r.flags & scratch::kBarrierData ? "fdatasync" : "fsync");
      out_ << fmt::format("epoch {} (from barrier {})\n", barriers_, barriers_);
      break;
    case RecordType::kWrite:
      written_ += r.length;
      out_ << fmt::format("    {:>5} write      {:>12} +{:<8} {}\n", change_++, r.offset, r.length,
                          Preview(r));
      break;
    case RecordType::kDiscard:
    case RecordType::kZeroRange:
      out_ << fmt::format("    {:>5} {:<10} {:>12} +{}\n", change_++, RecordTypeName(r.type),
                          r.offset, r.length);
      break;
    case RecordType::kEnd:
      break;
  }
}

void LogListing::End(bool ended, const std::string& damage) {
  std::string s = fmt::format("{}: {} records, {} barriers, {} bytes written", name_, records_,
                              barriers_, written_);
  if (!damage.empty())
    s += "; damaged: " + damage + " (what follows it is not read)";
  else if (!ended)
    s += "; cut short (no end record: the recorder did not close it)";
  out_ << s << "\n";
}

std::string RenderLogListing(const std::string& name, const scratch::ParsedLog& log) {
  std::ostringstream out;
  LogListing listing(out, name);
  listing.Header(log.header);
  for (const auto& r : log.records) listing.Record(r);
  listing.End(log.ended, log.damage);
  return out.str();
}

}  // namespace eofzero::report
